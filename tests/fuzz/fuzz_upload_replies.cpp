// The upload service's replies (plugins/gphotos/upload_replies.cpp): the
// token of a raw or resumable upload, the session URL of a resumable start
// (X-Goog-Upload-URL), a session's state after a query
// (X-Goog-Upload-Status, X-Goog-Upload-Size-Received). A token is never empty
// or padded; a session URL is always on the upload service's own origin (it
// receives the bearer token); an active session never claims more bytes
// than the file has, nor a count other than the decimal number it sent.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "fuzz_reply.hpp"
#include "upload_replies.hpp"
#include "url.hpp"

using namespace photosync;
using gphotos::SessionState;

namespace {

const std::string kWhat = "uploading IMG_1.JPG";
const std::string kUploadUrl = "https://photoslibrary.googleapis.com/v1/uploads";

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto reply = fuzz::response_from({reinterpret_cast<const char*>(data), size});

    if (auto token = gphotos::read_upload_reply(reply, kWhat)) {
        PHOTOSYNC_FUZZ_CHECK(reply.status == 200, *token);
        PHOTOSYNC_FUZZ_CHECK(!token->empty(), reply.body);
        PHOTOSYNC_FUZZ_CHECK(!is_space(token->front()) && !is_space(token->back()), *token);
    } else {
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(token.error().message), token.error().message);
    }
    (void)gphotos::offset_mismatch(reply);

    if (auto url = gphotos::read_session_start(reply, kUploadUrl, kWhat)) {
        auto session = gphotos::parse_url(*url);
        auto upload = gphotos::parse_url(kUploadUrl);
        PHOTOSYNC_FUZZ_CHECK(session && upload && session->origin() == upload->origin(), *url);
    } else {
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(url.error().message), url.error().message);
    }

    const auto received_text = reply.header("X-Goog-Upload-Size-Received");
    for (std::uint64_t file_size :
         {std::uint64_t{0}, std::uint64_t{1048576}, std::numeric_limits<std::uint64_t>::max()}) {
        auto state = gphotos::read_session_query(reply, file_size, kWhat);
        if (!state) {
            PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(state.error().message), state.error().message);
            continue;
        }
        if (state->state == SessionState::active) {
            PHOTOSYNC_FUZZ_CHECK(state->received <= file_size, received_text);
            std::uint64_t sent = 0;
            const char* end = received_text.data() + received_text.size();
            auto [stop, ec] = std::from_chars(received_text.data(), end, sent);
            PHOTOSYNC_FUZZ_CHECK(ec == std::errc() && stop == end && sent == state->received,
                                 received_text);
        }
        if (state->state == SessionState::final_) {
            PHOTOSYNC_FUZZ_CHECK(state->received == file_size, received_text);
        }
    }
    return 0;
}
