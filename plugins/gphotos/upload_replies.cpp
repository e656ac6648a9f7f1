#include "upload_replies.hpp"

#include <algorithm>
#include <charconv>

#include "api_errors.hpp"
#include "url.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;

std::string upload_token_in(const std::string& body) {
    auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    auto last = body.find_last_not_of(" \t\r\n");
    return body.substr(first, last - first + 1);
}

sdk::Result<std::string> read_upload_reply(const HttpResponse& reply, const std::string& what) {
    if (reply.status != 200) {
        return std::unexpected(classify_reply(reply, what));
    }
    auto token = upload_token_in(reply.body);
    if (token.empty()) {
        return sdk::fail(ErrorKind::protocol, what + ": Google Photos sent no upload token");
    }
    if (!looks_like_upload_token(token)) {
        // A proxy's or captive portal's page (or a cut reply): taken for a
        // token, it would only be refused at batchCreate, costing the item a run.
        return sdk::fail(ErrorKind::protocol,
                         what +
                             ": the reply is not an upload token (a web page or a damaged "
                             "reply); the upload is tried again");
    }
    return token;
}

bool looks_like_upload_token(std::string_view token) {
    // Opaque to us (Google's start "CAIS..."): one word of printable ASCII,
    // nothing of markup, not absurdly long.
    constexpr std::size_t kMaxToken = 8192;
    if (token.empty() || token.size() > kMaxToken) {
        return false;
    }
    return std::all_of(token.begin(), token.end(), [](char c) {
        return c > ' ' && c < 0x7F && c != '<' && c != '>' && c != '"' && c != '{' && c != '}';
    });
}

bool offset_mismatch(const HttpResponse& reply) {
    return reply.status == 400 && reply.header("X-Goog-Upload-Status") == "active";
}

sdk::Result<std::string> read_session_start(const HttpResponse& reply,
                                            const std::string& upload_url,
                                            const std::string& what) {
    if (reply.status != 200) {
        return std::unexpected(classify_reply(reply, what));
    }
    auto url = reply.header("X-Goog-Upload-URL");
    if (url.empty()) {
        return sdk::fail(ErrorKind::protocol,
                         what + ": Google Photos did not open an upload session");
    }
    auto s = parse_url(url);
    auto u = parse_url(upload_url);
    if (!s || !u || s->origin() != u->origin()) {
        return sdk::fail(ErrorKind::protocol,
                         what + ": Google Photos gave an upload session on another server");
    }
    return url;
}

sdk::Result<SessionStatus> read_session_query(const HttpResponse& reply, std::uint64_t size,
                                              const std::string& what) {
    auto status = reply.header("X-Goog-Upload-Status");
    if (reply.status == 404 || status == "cancelled" || status == "canceled") {
        return SessionStatus{SessionState::gone, 0, {}};
    }
    if (reply.status != 200) {
        return std::unexpected(classify_reply(reply, what));
    }
    if (status == "final") {
        return SessionStatus{SessionState::final_, size, upload_token_in(reply.body)};
    }
    // A decimal number and nothing else: "524288n", "+5" or "-1" are not a
    // count to resume from (std::stoull took them; found by
    // tests/fuzz/fuzz_upload_replies).
    const auto received_text = reply.header("X-Goog-Upload-Size-Received");
    const char* end = received_text.data() + received_text.size();
    std::uint64_t received = 0;
    auto [stop, ec] = std::from_chars(received_text.data(), end, received);
    if (received_text.empty() || ec != std::errc() || stop != end) {
        return sdk::fail(ErrorKind::protocol,
                         what + ": Google Photos did not say how much of the upload it has");
    }
    if (received > size) {
        return sdk::fail(ErrorKind::protocol,
                         what + ": Google Photos claims more bytes than the file has");
    }
    return SessionStatus{SessionState::active, received, {}};
}

}  // namespace photosync::gphotos
