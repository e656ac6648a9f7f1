// Google's error replies (plugins/gphotos/api_errors.cpp, and the OAuth
// token endpoint's refusals in oauth_endpoints.cpp): any status, headers
// (Retry-After, Content-Type) and body give an error of the documented kind
// with a one-line message of bounded length.
#include <cstddef>
#include <cstdint>

#include "api_errors.hpp"
#include "fuzz_reply.hpp"
#include "oauth_endpoints.hpp"

using namespace photosync;
using sdk::ErrorKind;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto reply = fuzz::response_from({reinterpret_cast<const char*>(data), size});

    auto message = gphotos::error_message(reply);
    PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(message), message);
    PHOTOSYNC_FUZZ_CHECK(message.size() <= 303, message);

    if (auto wait = gphotos::retry_after(reply)) {
        PHOTOSYNC_FUZZ_CHECK(wait->count() >= 0, reply.header("Retry-After"));
    }

    auto error = gphotos::classify_reply(reply, "uploading IMG_1.JPG");
    PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(error.message), error.message);
    PHOTOSYNC_FUZZ_CHECK(error.message.starts_with("uploading IMG_1.JPG: ") ||
                             error.kind == ErrorKind::quota_exhausted,
                         error.message);
    const auto status = reply.status;
    ErrorKind expected = ErrorKind::protocol;
    if (status == 429) {
        expected = error.kind == ErrorKind::quota_exhausted ? ErrorKind::quota_exhausted
                                                            : ErrorKind::rate_limited;
    } else if (status >= 500 || status == 408) {
        expected = ErrorKind::transient;
    } else if (status == 401) {
        expected = ErrorKind::auth;
    } else if (status == 403) {
        expected = error.kind == ErrorKind::auth ? ErrorKind::auth : ErrorKind::permission;
    } else if (status == 404) {
        expected = ErrorKind::not_found;
    } else if (status >= 400) {
        expected = ErrorKind::invalid_input;
    }
    PHOTOSYNC_FUZZ_CHECK(error.kind == expected, error.message);
    if (error.retry_after) {
        PHOTOSYNC_FUZZ_CHECK(error.retry_after->count() >= 0, error.message);
    }

    auto refused = gphotos::token_error(reply, "signing in");
    PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(refused.message), refused.message);
    return 0;
}
