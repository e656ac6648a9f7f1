#include "photosync/sdk/error.hpp"

namespace photosync::sdk {

std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::transient:
            return "transient";
        case ErrorKind::rate_limited:
            return "rate_limited";
        case ErrorKind::quota_exhausted:
            return "quota_exhausted";
        case ErrorKind::unknown_outcome:
            return "unknown_outcome";
        case ErrorKind::auth:
            return "auth";
        case ErrorKind::not_found:
            return "not_found";
        case ErrorKind::invalid_input:
            return "invalid_input";
        case ErrorKind::permission:
            return "permission";
        case ErrorKind::io:
            return "io";
        case ErrorKind::protocol:
            return "protocol";
        case ErrorKind::cancelled:
            return "cancelled";
        case ErrorKind::internal:
            return "internal";
        case ErrorKind::conflict:
            return "conflict";
    }
    return "internal";
}

}  // namespace photosync::sdk
