// What the upload service's replies say, read without any I/O: the upload
// token of a finished upload, the session URL of a resumable "start", and a
// session's state after a "query" (X-Goog-Upload-Status,
// X-Goog-Upload-Size-Received). The coroutines of upload_raw.cpp and
// upload_resumable.cpp send the requests; these read what comes back.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "http_client.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

// The upload token in a reply body (surrounding whitespace trimmed).
[[nodiscard]] std::string upload_token_in(const std::string& body);

// An upload token as far as it can be told: one word of printable ASCII
// without markup, at most 8 KiB (tokens are opaque; Google's start "CAIS").
[[nodiscard]] bool looks_like_upload_token(std::string_view token);

// The reply to an upload (raw, or a resumable "upload, finalize"): the token.
// Errors: the classified reply (api_errors) when it is not a 200, protocol
// for a 200 without a token or with something that is not one (a web page).
[[nodiscard]] sdk::Result<std::string> read_upload_reply(const HttpResponse& reply,
                                                         const std::string& what);

// A 400 to an upload while the session is still active: our offset and the
// server's differ, which a query and a resume put right.
[[nodiscard]] bool offset_mismatch(const HttpResponse& reply);

// The session URL (X-Goog-Upload-URL) of the reply to a resumable "start".
// The URL receives the bearer token, so it must be on the upload service's
// own origin (`upload_url`'s: no downgrade to http, no other host).
// Errors: the classified reply, protocol (no URL, or one on another server).
[[nodiscard]] sdk::Result<std::string> read_session_start(const HttpResponse& reply,
                                                          const std::string& upload_url,
                                                          const std::string& what);

enum class SessionState { active, final_, gone };

struct SessionStatus {
    SessionState state = SessionState::gone;
    std::uint64_t received = 0;  // bytes the server has (active; `size` when final)
    std::string token;           // when final
};

// The reply to a resumable "query" for an upload of `size` bytes: gone (404
// or cancelled: start again), final (with the token, if the body has it) or
// active with how much the server has (never more than `size`).
// Errors: the classified reply, protocol (no or a bad byte count).
[[nodiscard]] sdk::Result<SessionStatus> read_session_query(const HttpResponse& reply,
                                                            std::uint64_t size,
                                                            const std::string& what);

}  // namespace photosync::gphotos
