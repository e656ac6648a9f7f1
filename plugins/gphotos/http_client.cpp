#include "http_client.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <vector>

#include "transport_errors.hpp"

namespace photosync::gphotos {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using sdk::ErrorKind;

namespace {

// Bodies go out in chunks of this size: one read of a typical photo, and a
// constant 1 MiB per upload in flight for videos of any size.
constexpr std::size_t kChunk = 1024 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr const char* kUserAgent = "photosync-gphotos/1.0";
// Requests that must not be sent twice only go out on connections that were
// in use very recently: an older idle one may have been closed by the server
// just as the request went out, which would leave its outcome unknown.
constexpr std::chrono::seconds kMaxIdleIdempotent{50};
constexpr std::chrono::seconds kMaxIdleOnce{5};

struct Progress {
    bool header_sent = false;
    bool fully_sent = false;
    bool reply_started = false;
};

// Holds a request's bytes in the kernel until whole segments are ready
// (TCP_CORK). TLS sends a body as 16 KB records, one send each; corked, the
// kernel pushes them through loopback or the NIC in 64 KB segments, a quarter
// of the per-packet work on both ends. Uncorking pushes out what is left.
class CorkedSend {
  public:
    explicit CorkedSend(boost::beast::tcp_stream& tcp) : tcp_(tcp) { set(1); }
    ~CorkedSend() { set(0); }
    CorkedSend(const CorkedSend&) = delete;
    CorkedSend& operator=(const CorkedSend&) = delete;

  private:
    void set(int on) const noexcept {
#ifdef TCP_CORK
        // Best effort: without the option the bytes go out as before. A socket
        // closed meanwhile (a timeout) is left alone: its number may be reused.
        if (tcp_.socket().is_open()) {
            (void)::setsockopt(tcp_.socket().native_handle(), IPPROTO_TCP, TCP_CORK, &on,
                               sizeof on);
        }
#else
        (void)on;
#endif
    }
    boost::beast::tcp_stream& tcp_;
};

HttpFailure failure(sdk::Error e, bool maybe_delivered) {
    return HttpFailure{std::move(e), maybe_delivered};
}

template <class Stream>
sdk::awaitable<HttpResult> exchange(Stream& stream, Connection& connection,
                                    const HttpRequest& request, const Url& url,
                                    std::chrono::seconds timeout, Progress& progress) {
    const std::string what = describe_request(request.method, url);
    auto cs = co_await asio::this_coro::cancellation_state;
    http::request<http::empty_body> head{request.method, url.target, 11};
    head.set(http::field::host, url.host_header());
    head.set(http::field::user_agent, kUserAgent);
    for (const auto& [name, value] : request.headers) {
        head.set(name, value);
    }
    if (request.stream) {
        head.content_length(request.stream->length);
    } else if (!request.body.empty() || request.send_content_length) {
        head.content_length(request.body.size());
    }
    head.keep_alive(true);

    auto& tcp = connection.tcp();
    std::optional<CorkedSend> cork;
    if (request.stream) {
        cork.emplace(tcp);
    }
    http::request_serializer<http::empty_body> serializer{head};
    tcp.expires_after(timeout);
    auto [hec, hn] = co_await http::async_write_header(stream, serializer, sdk::use_tuple);
    if (hec) {
        co_return std::unexpected(failure(transport_error(hec, what, cancelled(cs)), false));
    }
    progress.header_sent = true;
    if (request.stream) {
        const auto& body = *request.stream;
        if (auto sought = co_await body.stream->seek(body.offset); !sought) {
            co_return std::unexpected(failure(std::move(sought.error()), false));
        }
        auto chunk = connection.body_buffer(static_cast<std::size_t>(
            std::min<std::uint64_t>(kChunk, std::max<std::uint64_t>(body.length, 1))));
        std::uint64_t left = body.length;
        while (left > 0) {
            auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
            auto n = co_await body.stream->read(std::span(chunk.data(), want));
            if (!n) {
                co_return std::unexpected(failure(std::move(n.error()), false));
            }
            if (*n == 0) {
                co_return std::unexpected(
                    failure(sdk::Error{ErrorKind::io,
                                       "the content ended " + std::to_string(left) + " bytes early",
                                       std::nullopt},
                            false));
            }
            if (cancelled(cs)) {
                co_return std::unexpected(failure(transport_error({}, what, true), false));
            }
            tcp.expires_after(timeout);
            auto [wec, wn] =
                co_await asio::async_write(stream, asio::buffer(chunk.data(), *n), sdk::use_tuple);
            if (wec) {
                co_return std::unexpected(
                    failure(transport_error(wec, what, cancelled(cs)), false));
            }
            left -= *n;
        }
    } else if (!request.body.empty()) {
        tcp.expires_after(timeout);
        auto [wec, wn] =
            co_await asio::async_write(stream, asio::buffer(request.body), sdk::use_tuple);
        if (wec) {
            co_return std::unexpected(failure(transport_error(wec, what, cancelled(cs)), false));
        }
    }
    cork.reset();
    progress.fully_sent = true;

    http::response_parser<http::string_body> parser;  // a fresh parser per reply
    parser.header_limit(kHeaderLimit);
    parser.body_limit(request.reply_limit);
    tcp.expires_after(timeout);
    auto [rec, rn] = co_await http::async_read(stream, connection.buffer(), parser, sdk::use_tuple);
    progress.reply_started = parser.got_some();
    tcp.expires_never();
    bool truncated_but_complete = rec == asio::ssl::error::stream_truncated && parser.is_done();
    if (rec && !truncated_but_complete) {
        co_return std::unexpected(failure(transport_error(rec, what, cancelled(cs)), true));
    }
    auto message = parser.release();
    HttpResponse response;
    response.status = message.result_int();
    response.body = std::move(message.body());
    bool keep = message.keep_alive() && !truncated_but_complete;
    response.headers = std::move(message.base());
    if (!keep) {
        connection.close();
    }
    co_return response;
}

// Opens the connection if it is new, then one exchange.
sdk::awaitable<HttpResult> on_connection(Connection& connection, const HttpRequest& request,
                                         const Url& url, std::chrono::seconds timeout,
                                         Progress& progress) {
    if (!connection.is_open()) {
        if (auto opened = co_await connection.open(url, timeout); !opened) {
            co_return std::unexpected(failure(std::move(opened.error()), false));
        }
    }
    HttpResult result;
    if (connection.tls()) {
        result =
            co_await exchange(connection.tls_stream(), connection, request, url, timeout, progress);
    } else {
        result = co_await exchange(connection.tcp(), connection, request, url, timeout, progress);
    }
    co_return result;
}

bool stale_connection_error(const sdk::Error& e) {
    return e.kind == ErrorKind::transient;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
    auto it = headers.find(beast::string_view(name.data(), name.size()));
    return it == headers.end() ? std::string() : std::string(it->value());
}

std::string describe_request(http::verb method, const Url& url) {
    auto path = url.target.substr(0, url.target.find('?'));
    return std::string(http::to_string(method)) + " " + (url.tls ? "https://" : "http://") +
           url.host_header() + path;
}

HttpClient::HttpClient(asio::any_io_executor io, std::shared_ptr<asio::ssl::context> tls_context,
                       std::size_t connections, std::chrono::seconds timeout, sdk::LogSink& log)
    : pool_(std::move(io), std::move(tls_context), connections), timeout_(timeout), log_(log) {}

sdk::awaitable<HttpResult> HttpClient::send(HttpRequest request) {
    auto url = parse_url(request.url);
    if (!url) {
        co_return std::unexpected(failure(std::move(url.error()), false));
    }
    const auto started = std::chrono::steady_clock::now();
    for (int attempt = 1;; ++attempt) {
        auto lease =
            co_await pool_.lease(*url, request.idempotent ? kMaxIdleIdempotent : kMaxIdleOnce);
        const bool reused = lease->is_open();
        Progress progress;
        // On the connection's strand; cancellation reaches it through co_spawn.
        auto task = on_connection(*lease, request, *url, timeout_, progress);
        auto [ex, result] =
            co_await asio::co_spawn(lease->strand(), std::move(task), sdk::use_tuple);
        if (ex) {
            co_return std::unexpected(
                failure(sdk::Error{ErrorKind::internal, "unexpected failure in the HTTP client",
                                   std::nullopt},
                        progress.fully_sent));
        }
        if (result) {
            if (lease->is_open()) {
                lease.keep();
            }
            if (log_.enabled(sdk::LogLevel::debug)) {
                auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started);
                log_.debug("gphotos: " + describe_request(request.method, *url) + " -> " +
                           std::to_string(result->status) + " (" + std::to_string(ms.count()) +
                           " ms)");
            }
            co_return result;
        }
        // A kept-alive connection the server had already closed fails before
        // any reply: send once more on a new connection, if that is safe.
        bool safe_to_resend = request.idempotent || (!progress.fully_sent && !request.stream);
        if (attempt == 1 && reused && !progress.reply_started && safe_to_resend &&
            stale_connection_error(result.error().error)) {
            log_.debug("gphotos: " + describe_request(request.method, *url) +
                       ": kept-alive connection was closed (" + result.error().error.message +
                       "); sending again on a new one");
            continue;
        }
        log_.debug("gphotos: " + describe_request(request.method, *url) +
                   " failed: " + result.error().error.message);
        co_return result;
    }
}

}  // namespace photosync::gphotos
