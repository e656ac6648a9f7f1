#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "api_errors.hpp"
#include "transport_errors.hpp"
#include "uploads.hpp"

namespace photosync::gphotos {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using sdk::ErrorKind;

namespace {

// Resumes after a dropped connection or a 5xx within one stage() call; if
// the server keeps failing, the error goes to the engine's retry policy.
constexpr int kMaxResumes = 5;

HttpRequest session_request(const std::string& url, const char* command) {
    HttpRequest r;
    r.method = http::verb::post;
    r.url = url;
    r.headers = {{"X-Goog-Upload-Command", command}, {"X-Goog-Upload-Protocol", "resumable"}};
    r.send_content_length = true;
    r.reply_limit = 64 * 1024;
    return r;
}

// The session URL receives the bearer token: it must be on the upload
// service's own origin (no downgrade to http, no other host).
sdk::Result<std::string> checked_session_url(const std::string& session,
                                             const std::string& upload_url,
                                             const std::string& what) {
    auto s = parse_url(session);
    auto u = parse_url(upload_url);
    if (!s || !u || s->origin() != u->origin()) {
        return sdk::fail(ErrorKind::protocol,
                         what + ": Google Photos gave an upload session on another server");
    }
    return session;
}

struct Session {
    std::string url;
    bool restarted = false;
};

sdk::awaitable<sdk::Result<Session>> start_session(ApiClient& api, const Settings& settings,
                                                   const sdk::SourceItem& item, std::uint64_t size,
                                                   const std::string& what) {
    auto request = session_request(settings.upload_url, "start");
    request.headers.emplace_back("X-Goog-Upload-Raw-Size", std::to_string(size));
    request.headers.emplace_back("X-Goog-Upload-File-Name", upload_file_name(item));
    if (!item.mime_type.empty()) {
        request.headers.emplace_back("X-Goog-Upload-Content-Type", item.mime_type);
    }
    auto reply = co_await api.send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    if (reply->status != 200) {
        co_return std::unexpected(classify_reply(*reply, what));
    }
    auto url = reply->header("X-Goog-Upload-URL");
    if (url.empty()) {
        co_return sdk::fail(ErrorKind::protocol,
                            what + ": Google Photos did not open an upload session");
    }
    auto checked = checked_session_url(url, settings.upload_url, what);
    if (!checked) {
        co_return std::unexpected(std::move(checked.error()));
    }
    co_return Session{*checked, false};
}

enum class QueryState { active, final_, gone };

struct QueryResult {
    QueryState state = QueryState::gone;
    std::uint64_t received = 0;
    std::string token;  // when final
};

sdk::awaitable<sdk::Result<QueryResult>> query_session(ApiClient& api, const std::string& url,
                                                       std::uint64_t size,
                                                       const std::string& what) {
    auto request = session_request(url, "query");
    auto reply = co_await api.send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    auto status = reply->header("X-Goog-Upload-Status");
    if (reply->status == 404 || status == "cancelled" || status == "canceled") {
        co_return QueryResult{QueryState::gone, 0, {}};
    }
    if (reply->status != 200) {
        co_return std::unexpected(classify_reply(*reply, what));
    }
    if (status == "final") {
        co_return QueryResult{QueryState::final_, size, upload_token_in(reply->body)};
    }
    auto received_text = reply->header("X-Goog-Upload-Size-Received");
    std::uint64_t received = 0;
    try {
        received = std::stoull(received_text);
    } catch (...) {
        co_return sdk::fail(ErrorKind::protocol,
                            what + ": Google Photos did not say how much of the upload it has");
    }
    if (received > size) {
        co_return sdk::fail(ErrorKind::protocol,
                            what + ": Google Photos claims more bytes than the file has");
    }
    co_return QueryResult{QueryState::active, received, {}};
}

// A short pause before resuming, so a struggling server is not hammered.
sdk::awaitable<bool> pause(int resumes) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    timer.expires_after(std::chrono::milliseconds(250) * resumes);
    auto [ec] = co_await timer.async_wait(sdk::use_tuple);
    auto cs = co_await asio::this_coro::cancellation_state;
    co_return !ec && !cancelled(cs);
}

}  // namespace

sdk::awaitable<sdk::Result<std::string>> upload_resumable(ApiClient& api, const Settings& settings,
                                                          sdk::LogSink& log,
                                                          const sdk::SourceItem& item,
                                                          sdk::ByteStream& content) {
    const std::string what = "uploading " + sdk::display_path(item.path);
    const std::uint64_t size = content.size();
    auto session = co_await start_session(api, settings, item, size, what);
    if (!session) {
        co_return std::unexpected(std::move(session.error()));
    }
    std::uint64_t offset = 0;
    int resumes = 0;
    for (;;) {
        auto request = session_request(session->url, "upload, finalize");
        request.headers.emplace_back("X-Goog-Upload-Offset", std::to_string(offset));
        request.stream = StreamBody{&content, offset, size - offset};
        // After a drop the session (not a blind resend) says what to send next.
        request.idempotent = false;
        auto reply = co_await api.send(std::move(request));
        sdk::Error problem;
        if (reply && reply->status == 200) {
            auto token = upload_token_in(reply->body);
            if (!token.empty()) {
                co_return token;
            }
            problem = sdk::Error{ErrorKind::protocol, what + ": Google Photos sent no upload token",
                                 std::nullopt};
        } else if (reply) {
            problem = classify_reply(*reply, what);
            // 400 with the session still active: our offset and the server's differ.
            bool offset_mismatch =
                reply->status == 400 && reply->header("X-Goog-Upload-Status") == "active";
            if (!problem.retryable() && !offset_mismatch) {
                co_return std::unexpected(std::move(problem));
            }
        } else {
            problem = std::move(reply.error().error);
            if (problem.kind != ErrorKind::transient) {
                co_return std::unexpected(std::move(problem));  // the file, cancel, auth...
            }
        }
        if (++resumes > kMaxResumes) {
            co_return std::unexpected(std::move(problem));
        }
        if (!co_await pause(resumes)) {
            co_return sdk::fail(ErrorKind::cancelled, "cancelled");
        }
        auto state = co_await query_session(api, session->url, size, what);
        if (!state) {
            co_return std::unexpected(std::move(state.error()));
        }
        if (state->state == QueryState::final_ && !state->token.empty()) {
            co_return state->token;  // it had all the bytes; only the reply was lost
        }
        if (state->state != QueryState::active) {
            if (session->restarted) {
                co_return std::unexpected(std::move(problem));
            }
            log.debug("gphotos: " + what + ": the upload session is gone; starting a new one");
            auto fresh = co_await start_session(api, settings, item, size, what);
            if (!fresh) {
                co_return std::unexpected(std::move(fresh.error()));
            }
            session = Session{fresh->url, true};
            offset = 0;
            continue;
        }
        log.debug("gphotos: " + what + ": resuming at byte " + std::to_string(state->received) +
                  " of " + std::to_string(size) + " after: " + problem.message);
        offset = state->received;
    }
}

}  // namespace photosync::gphotos
