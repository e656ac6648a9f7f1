// The reply of mediaItems.batchCreate (plugins/gphotos/batch_create.cpp,
// read_batch_results): whatever the body, either one outcome per item of
// the request, in its order, or unknown_outcome for the whole batch (so the
// engine reconciles instead of guessing). Failure messages are one line.
//
// The request is 1 to 50 items with the tokens "token-1"... "token-N"; the
// first byte of the input says how many, the rest is the reply body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "batch_create.hpp"
#include "fuzz_support.hpp"

using namespace photosync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t count = 1 + data[0] % gphotos::kMaxBatch;
    std::string body(reinterpret_cast<const char*>(data + 1), size - 1);

    std::vector<sdk::StagedItem> items(count);
    for (std::size_t i = 0; i < count; ++i) {
        items[i].item.path = "IMG_" + std::to_string(i + 1) + ".JPG";
        items[i].receipt.token = "token-" + std::to_string(i + 1);
    }
    auto outcomes = gphotos::read_batch_results(body, items);
    if (!outcomes) {
        PHOTOSYNC_FUZZ_CHECK(outcomes.error().kind == sdk::ErrorKind::unknown_outcome,
                             outcomes.error().message);
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(outcomes.error().message), outcomes.error().message);
        return 0;
    }
    PHOTOSYNC_FUZZ_CHECK(outcomes->size() == count, body);
    for (const auto& o : *outcomes) {
        if (!o) {
            PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(o.error().message), o.error().message);
            PHOTOSYNC_FUZZ_CHECK(o.error().kind != sdk::ErrorKind::unknown_outcome,
                                 o.error().message);
        }
    }
    return 0;
}
