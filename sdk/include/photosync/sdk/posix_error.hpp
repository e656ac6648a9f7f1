// Turning errno into a typed sdk::Error with a message that names the thing.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>

#include "photosync/sdk/error.hpp"

namespace photosync::sdk {

[[nodiscard]] inline ErrorKind kind_of_errno(int err) noexcept {
    switch (err) {
        case ENOENT:
        case ENOTDIR:
            return ErrorKind::not_found;
        case EACCES:
        case EPERM:
        case EROFS:
            return ErrorKind::permission;
        case EINTR:
        case EAGAIN:
            return ErrorKind::transient;
        default:
            return ErrorKind::io;
    }
}

// "cannot <what>: <strerror>", e.g. errno_error("read /a/b.jpg", EIO).
[[nodiscard]] inline Error errno_error(const std::string& what, int err) {
    return Error{kind_of_errno(err), "cannot " + what + ": " + std::strerror(err), std::nullopt};
}

}  // namespace photosync::sdk
