// Typed errors at every SDK boundary. A plugin never throws across the
// boundary: it returns Result<T>, and the Error's kind tells the engine's one
// retry policy what to do with it (see engine/src/retry_policy.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace photosync::sdk {

enum class ErrorKind : std::uint8_t {
    transient,        // network blip, connection reset, 5xx: retry with backoff
    rate_limited,     // short-term throttling (429): retry after a pause
    quota_exhausted,  // daily quota spent: stop the run, resume later
    unknown_outcome,  // request may have been applied (lost reply): reconcile before retrying
    auth,             // credentials missing, expired or revoked: the user must act
    not_found,        // path, container or item does not exist
    invalid_input,    // the item itself is unacceptable (not media, too large): permanent
    permission,       // not allowed (unreadable file, album not writable)
    io,               // local I/O failure (read error, disk full)
    protocol,         // malformed or unexpected reply from the remote side
    cancelled,        // the operation was cancelled by the caller
    internal,         // a bug or an unexpected state
    conflict,         // busy: another run holds what this one needs; try again when it ends
};

[[nodiscard]] std::string_view to_string(ErrorKind kind) noexcept;

struct Error {
    ErrorKind kind = ErrorKind::internal;
    // One line for a person: names the thing and, where possible, what to do.
    // Never contains tokens or secrets.
    std::string message;
    // A server-provided hint (Retry-After), if any.
    std::optional<std::chrono::milliseconds> retry_after{};

    // Whether trying the same operation again can succeed without anyone acting.
    [[nodiscard]] bool retryable() const noexcept {
        return kind == ErrorKind::transient || kind == ErrorKind::rate_limited ||
               kind == ErrorKind::protocol;
    }
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
    return std::unexpected<Error>(Error{kind, std::move(message), std::nullopt});
}

}  // namespace photosync::sdk
