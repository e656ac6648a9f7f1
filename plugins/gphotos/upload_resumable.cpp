#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

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
    auto url = read_session_start(*reply, settings.upload_url, what);
    if (!url) {
        co_return std::unexpected(std::move(url.error()));
    }
    co_return Session{std::move(*url), false};
}

sdk::awaitable<sdk::Result<SessionStatus>> query_session(ApiClient& api, const std::string& url,
                                                         std::uint64_t size,
                                                         const std::string& what) {
    auto request = session_request(url, "query");
    auto reply = co_await api.send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    co_return read_session_query(*reply, size, what);
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
        if (reply) {
            auto token = read_upload_reply(*reply, what);
            if (token) {
                co_return std::move(*token);
            }
            problem = std::move(token.error());
            // A 200 without a token: the session says whether it has the bytes.
            if (reply->status != 200 && !problem.retryable() && !offset_mismatch(*reply)) {
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
        if (state->state == SessionState::final_ && !state->token.empty()) {
            co_return state->token;  // it had all the bytes; only the reply was lost
        }
        if (state->state != SessionState::active) {
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
