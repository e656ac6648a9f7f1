// What Google's replies mean for the engine's one retry policy: the HTTP
// status and the standard JSON error body turned into an sdk::Error kind and a
// one-line message (never containing tokens, and cut to a sane length).
//
//   5xx, 408                  transient (back off from 1 s)
//   429 'All requests per day' quota_exhausted (stop; resume after the reset)
//   429 otherwise             rate_limited (>= 30 s, or Retry-After)
//   401                       auth (after the one refresh-and-retry)
//   403                       permission (or auth for missing scopes)
//   404                       not_found
//   other 4xx                 invalid_input (the request itself: no retry)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http_client.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

// The `error.message` of a Google JSON error body (or a cleaned-up excerpt of
// a non-JSON body), at most ~300 characters of printable text.
[[nodiscard]] std::string error_message(const HttpResponse& response);

// `what` names the operation, e.g. "uploading IMG_1.JPG" or "creating the album".
[[nodiscard]] sdk::Error classify_reply(const HttpResponse& response, std::string_view what);

// Retry-After as seconds or an HTTP date.
[[nodiscard]] std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response);

// When the daily quota resets: midnight Pacific time (UTC-8, as Google's
// quotas do). For the message of quota_exhausted.
[[nodiscard]] std::string quota_reset_hint(std::chrono::system_clock::time_point now);

// Replaces control characters, cuts to `max` bytes (on a UTF-8 boundary).
[[nodiscard]] std::string clean_text(std::string_view text, std::size_t max = 300);

inline constexpr const char* kLoginHint = "run `photosync auth login`";

}  // namespace photosync::gphotos
