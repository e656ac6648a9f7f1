#include "http_session.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <string_view>
#include <vector>

#include "errors.hpp"
#include "http_util.hpp"
#include "router.hpp"

namespace gpe {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto tok = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kScratch = 1 << 20;         // read size for bodies
constexpr std::uint64_t kDrainCap = 64ull << 20;  // bodies we read and discard before an error
constexpr std::size_t kHeaderLimit = 64 * 1024;

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Receives body bytes; returns false to stop reading.
class BodyConsumer {
  public:
    virtual ~BodyConsumer() = default;
    virtual bool consume(const char* p, std::size_t n) = 0;
};

class DiscardConsumer final : public BodyConsumer {
  public:
    bool consume(const char*, std::size_t n) override {
        total += n;
        return total <= kDrainCap;
    }
    std::uint64_t total = 0;
};

class StringConsumer final : public BodyConsumer {
  public:
    StringConsumer(std::string& out, std::uint64_t limit) : out_(out), limit_(limit) {}
    bool consume(const char* p, std::size_t n) override {
        if (out_.size() + n > limit_) {
            too_large = true;
            return false;
        }
        out_.append(p, n);
        return true;
    }
    bool too_large = false;

  private:
    std::string& out_;
    std::uint64_t limit_;
};

// Feeds an upload sink; stops at the drop-mid-upload point if one is set.
class SinkConsumer final : public BodyConsumer {
  public:
    SinkConsumer(UploadSink& sink, std::optional<std::uint64_t> drop_after, Stats& stats)
        : sink_(sink), drop_after_(drop_after), stats_(stats) {}
    bool consume(const char* p, std::size_t n) override {
        if (drop_after_) {
            const std::uint64_t left = *drop_after_ - fed_;
            if (n >= left) {
                n = static_cast<std::size_t>(left);
                dropped = true;
            }
        }
        fed_ += n;
        const bool taken = n == 0 || sink_.write(p, n);
        stats_.add_upload_bytes(n);  // after the write: a test that sees them may query
        if (!taken) {
            superseded = true;
            return false;
        }
        return !dropped;
    }
    bool dropped = false;
    bool superseded = false;

  private:
    UploadSink& sink_;
    std::optional<std::uint64_t> drop_after_;
    std::uint64_t fed_ = 0;
    Stats& stats_;
};

tcp::socket& raw_socket(beast::tcp_stream& s) {
    return s.socket();
}
tcp::socket& raw_socket(TlsStream& s) {
    return beast::get_lowest_layer(s).socket();
}

void close_hard(tcp::socket& s) {
    beast::error_code ec;
    s.close(ec);
}

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
    if (d.count() <= 0)
        co_return;
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(d);
    co_await t.async_wait(tok);
}

// Reads the rest of the message body and hands it to `c`. The common
// Content-Length case bypasses the parser and reads straight into a large
// buffer (one copy less, big reads); chunked bodies go through the parser.
template <class Stream>
asio::awaitable<beast::error_code> read_body(Stream& stream, beast::flat_buffer& buf,
                                             http::request_parser<http::buffer_body>& parser,
                                             std::vector<char>& scratch, BodyConsumer& c,
                                             ConnectionContext& ctx, std::chrono::seconds timeout) {
    if (parser.is_done())
        co_return beast::error_code{};
    auto& lowest = beast::get_lowest_layer(stream);
    const auto throttle = [&](std::size_t n) {
        return ctx.app.bandwidth.reserve(n, ctx.app.faults.bandwidth());
    };
    const auto chunk_size = [&]() -> std::size_t {
        const std::uint64_t bps = ctx.app.faults.bandwidth();
        if (bps == 0)
            return kScratch;
        return static_cast<std::size_t>(std::clamp<std::uint64_t>(bps / 50, 1024, kScratch));
    };
    if (scratch.size() < kScratch)
        scratch.resize(kScratch);

    if (!parser.chunked() && parser.content_length()) {
        std::uint64_t remaining = *parser.content_length();
        while (remaining > 0 && buf.size() > 0) {
            const std::size_t n =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buf.size()));
            const bool go_on = c.consume(static_cast<const char*>(buf.data().data()), n);
            buf.consume(n);
            remaining -= n;
            if (!go_on)
                co_return beast::error_code{};
            co_await sleep_for(throttle(n));
        }
        while (remaining > 0) {
            lowest.expires_after(timeout);
            const std::size_t want =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining, chunk_size()));
            auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch.data(), want), tok);
            if (ec)
                co_return ec;
            remaining -= n;
            if (!c.consume(scratch.data(), n))
                co_return beast::error_code{};
            co_await sleep_for(throttle(n));
        }
        co_return beast::error_code{};
    }
    while (!parser.is_done()) {
        const std::size_t want = chunk_size();
        parser.get().body().data = scratch.data();
        parser.get().body().size = want;
        parser.get().body().more = true;
        lowest.expires_after(timeout);
        auto [ec, n] = co_await http::async_read_some(stream, buf, parser, tok);
        (void)n;
        if (ec == http::error::need_buffer)
            ec = {};
        if (ec)
            co_return ec;
        const std::size_t got = want - parser.get().body().size;
        if (got > 0) {
            if (!c.consume(scratch.data(), got))
                co_return beast::error_code{};
            co_await sleep_for(throttle(got));
        }
    }
    co_return beast::error_code{};
}

asio::awaitable<void> shutdown_stream(beast::tcp_stream& s) {
    beast::error_code ec;
    s.socket().shutdown(tcp::socket::shutdown_send, ec);
    s.socket().close(ec);
    co_return;
}

asio::awaitable<void> shutdown_stream(TlsStream& s) {
    beast::get_lowest_layer(s).expires_after(std::chrono::seconds(2));
    co_await s.async_shutdown(tok);
    close_hard(raw_socket(s));
}

// After an early reply to a request whose body we did not read: stop sending,
// then swallow what the client still sends for a moment so the reply is not
// destroyed by a TCP reset.
template <class Stream>
asio::awaitable<void> linger_close(Stream& stream) {
    tcp::socket& s = raw_socket(stream);
    beast::error_code ec;
    s.shutdown(tcp::socket::shutdown_send, ec);
    std::vector<char> sink(64 * 1024);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < until) {
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
        auto [e, n] =
            co_await beast::get_lowest_layer(stream).async_read_some(asio::buffer(sink), tok);
        (void)n;
        if (e)
            break;
    }
    close_hard(s);
}

template <class Stream>
asio::awaitable<bool> write_response(Stream& stream, Response& r, unsigned version, bool keep,
                                     std::chrono::seconds timeout) {
    http::response<http::string_body> res{r.status, version};
    for (const auto& f : r.headers)
        res.set(f.name_string(), f.value());
    res.body() = std::move(r.body);
    res.keep_alive(keep);
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, n] = co_await http::async_write(stream, res, tok);
    (void)n;
    co_return !ec;
}

template <class Stream>
asio::awaitable<bool> write_continue(Stream& stream, std::chrono::seconds timeout) {
    http::response<http::empty_body> res{http::status::continue_, 11};
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, n] = co_await http::async_write(stream, res, tok);
    (void)n;
    co_return !ec;
}

// Reply faults that change the reply but not its framing.
void damage_reply(ReplyFault fault, Response& r) {
    if (fault == ReplyFault::malformed_json) {
        // A prefix of a JSON document is never a JSON document.
        r.body = r.body.size() < 2 ? std::string("{\"") : r.body.substr(0, r.body.size() / 2);
    } else if (fault == ReplyFault::wrong_content_type) {
        // What a captive portal or a misconfigured proxy sends instead.
        r.content_type = "text/html; charset=UTF-8";
        r.body =
            "<!DOCTYPE html><html><head><title>Network login</title></head>"
            "<body><h1>Sign in to continue</h1><p>Your network requires you to sign in "
            "before you can use the Internet.</p></body></html>";
    }
}

// Reply faults that break the framing: truncated_body announces the whole
// Content-Length and sends half of the body; huge_body pads the body with
// spaces up to body_bytes, streamed in 1 MiB writes. Either way the
// connection is not kept. False if writing failed (the client gave up).
template <class Stream>
asio::awaitable<bool> write_damaged_reply(Stream& stream, const Response& r, unsigned version,
                                          const FaultDecision& f, std::chrono::seconds timeout) {
    const bool huge = f.reply == ReplyFault::huge_body;
    http::response<http::empty_body> head{r.status, version};
    for (const auto& field : r.headers)
        head.set(field.name_string(), field.value());
    head.keep_alive(false);
    const std::uint64_t announced = huge ? std::max<std::uint64_t>(f.huge_body_bytes, r.body.size())
                                         : std::max<std::size_t>(r.body.size(), 2);
    head.content_length(announced);
    http::response_serializer<http::empty_body> serializer{head};
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(timeout);
    auto [hec, hn] = co_await http::async_write_header(stream, serializer, tok);
    (void)hn;
    if (hec)
        co_return false;
    const std::string_view body =
        huge ? std::string_view(r.body) : std::string_view(r.body).substr(0, r.body.size() / 2);
    if (!body.empty()) {
        lowest.expires_after(timeout);
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(body), tok);
        (void)n;
        if (ec)
            co_return false;
    }
    if (huge) {
        const std::string spaces(kScratch, ' ');
        for (std::uint64_t left = announced - body.size(); left > 0;) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(left, spaces.size()));
            lowest.expires_after(timeout);
            auto [ec, written] = co_await asio::async_write(stream, asio::buffer(spaces, n), tok);
            (void)written;
            if (ec)
                co_return false;
            left -= n;
        }
    }
    co_return true;
}

struct ActiveRequest {
    explicit ActiveRequest(std::atomic<int>& n) : n_(n) { ++n_; }
    ~ActiveRequest() { --n_; }
    ActiveRequest(const ActiveRequest&) = delete;
    ActiveRequest& operator=(const ActiveRequest&) = delete;
    std::atomic<int>& n_;
};

enum class Next { keep_going, close_gracefully, close_hard, linger };

template <class Stream>
asio::awaitable<void> http_loop(Stream& stream, bool tls, bool peer_loopback,
                                ConnectionContext& ctx) {
    App& app = ctx.app;
    const auto timeout = std::chrono::seconds(app.cfg.idle_timeout_s);
    beast::flat_buffer buf;
    std::vector<char> scratch;
    const std::string default_host = "127.0.0.1:" + std::to_string(ctx.local_port);

    for (;;) {
        // A fresh parser per message (Beast #2715: a reused parser keeps state).
        http::request_parser<http::buffer_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        beast::get_lowest_layer(stream).expires_after(timeout);
        auto [ec, n] = co_await http::async_read_header(stream, buf, parser, tok);
        (void)n;
        if (ec == http::error::end_of_stream || ec == asio::error::eof) {
            // Clean close by the client between messages (Beast #2637).
            co_await shutdown_stream(stream);
            co_return;
        }
        if (ec) {
            if (ec.category() == beast::error_code(http::error::bad_target).category()) {
                Response r = google_error(400, "Malformed HTTP request: " + ec.message());
                r.headers.set(http::field::content_type, r.content_type);
                co_await write_response(stream, r, 11, false, timeout);
            }
            close_hard(raw_socket(stream));
            co_return;
        }
        ActiveRequest active(ctx.active_requests);
        auto& head = parser.get();
        Request req;
        req.method = head.method();
        req.target = std::string(head.target());
        split_target(req.target, req.path, req.query);
        req.headers = &static_cast<const http::fields&>(head);
        req.tls = tls;
        req.peer_loopback = peer_loopback;
        req.host =
            head[http::field::host].empty() ? default_host : std::string(head[http::field::host]);
        const unsigned version = head.version();
        const bool expect_continue = iequals(trim(head[http::field::expect]), "100-continue");
        std::optional<std::uint64_t> clen;
        if (!parser.chunked() && parser.content_length())
            clen = *parser.content_length();
        const bool has_body = !parser.is_done();

        Admission adm = admit(app, req, clen);
        Response res;
        Next next = Next::keep_going;

        if (adm.early) {
            if (has_body) {
                if (expect_continue || (clen && *clen > kDrainCap)) {
                    // Don't make the client send a body we will not use.
                    next = Next::linger;
                } else {
                    DiscardConsumer d;
                    auto e = co_await read_body(stream, buf, parser, scratch, d, ctx, timeout);
                    if (e) {
                        close_hard(raw_socket(stream));
                        co_return;
                    }
                    if (!parser.is_done() && d.total > kDrainCap)
                        next = Next::linger;
                }
            }
            co_await sleep_for(adm.faults.latency);
            res = std::move(*adm.early);
        } else if (adm.sink) {
            if (expect_continue && has_body) {
                const bool sent = co_await write_continue(stream, timeout);
                if (!sent) {
                    adm.sink->abort();
                    co_return;
                }
            }
            SinkConsumer c(*adm.sink, adm.faults.drop_after_bytes, app.stats);
            auto e = co_await read_body(stream, buf, parser, scratch, c, ctx, timeout);
            if (c.dropped || (!e && adm.faults.drop_after_bytes && !c.superseded &&
                              *adm.faults.drop_after_bytes == 0)) {
                // Fault: the connection dies mid-upload.
                adm.sink->abort();
                app.stats.record(adm.match.endpoint, 0);
                app.log.debug("fault: dropped connection mid-upload");
                close_hard(raw_socket(stream));
                co_return;
            }
            if (e) {
                adm.sink->abort();
                app.stats.record(adm.match.endpoint, 0);
                close_hard(raw_socket(stream));
                co_return;
            }
            if (c.superseded) {
                adm.sink->abort();
                next = Next::linger;
            }
            co_await sleep_for(adm.faults.latency);
            res = adm.sink->finish();
        } else {
            const std::uint64_t limit = app.cfg.json_body_limit;
            if (clen && *clen > limit) {
                res = google_error(413, "Request body is too large.");
                next = Next::linger;
            } else {
                if (expect_continue && has_body) {
                    const bool sent = co_await write_continue(stream, timeout);
                    if (!sent)
                        co_return;
                }
                StringConsumer c(req.body, limit);
                auto e = co_await read_body(stream, buf, parser, scratch, c, ctx, timeout);
                if (e) {
                    close_hard(raw_socket(stream));
                    co_return;
                }
                if (c.too_large) {
                    res = google_error(413, "Request body is too large.");
                    next = Next::linger;
                } else {
                    co_await sleep_for(adm.faults.latency);
                    try {
                        res = handle(app, adm, req);
                    } catch (const std::exception& ex) {
                        app.log.error(std::string("handler failed: ") + ex.what());
                        res = internal_error();
                    }
                }
            }
        }

        // The request is done: free the user's write slot and the in-flight mark
        // before replying, so a client that sends its next call the moment it
        // reads this reply never races our own bookkeeping.
        adm.write_slot.release();
        adm.in_flight.release();
        if (adm.faults.drop_before_reply) {
            // Fault: the request took effect but the reply is lost.
            app.stats.record(adm.match.endpoint, 0);
            app.log.debug("fault: dropped connection before the reply");
            close_hard(raw_socket(stream));
            co_return;
        }
        // Every upload reply carries X-Goog-Upload-Status (clients check it).
        if (adm.match.endpoint.starts_with("uploads.") &&
            res.headers.find("X-Goog-Upload-Status") == res.headers.end()) {
            const bool session = adm.match.endpoint == "uploads.upload" ||
                                 adm.match.endpoint == "uploads.query" ||
                                 adm.match.endpoint == "uploads.cancel";
            res.headers.set("X-Goog-Upload-Status", session ? "active" : "final");
        }
        const ReplyFault damage = adm.faults.reply;
        damage_reply(damage, res);
        // The padding of a huge body must reach the wire as it is.
        finalize_response(app, req, res, damage != ReplyFault::huge_body);
        const int status = static_cast<int>(res.status);
        if (damage == ReplyFault::truncated_body || damage == ReplyFault::huge_body) {
            // No complete reply reaches a client that keeps to its limits.
            if (adm.counted)
                app.stats.record(adm.match.endpoint,
                                 damage == ReplyFault::truncated_body ? 0 : status);
            app.log.debug(damage == ReplyFault::truncated_body ? "fault: truncated reply"
                                                               : "fault: huge reply");
            const bool whole =
                co_await write_damaged_reply(stream, res, version, adm.faults, timeout);
            if (whole && damage == ReplyFault::huge_body) {
                co_await shutdown_stream(stream);
            } else {
                close_hard(raw_socket(stream));
            }
            co_return;
        }
        if (adm.counted)
            app.stats.record(adm.match.endpoint, status);
        if (app.log.enabled(LogLevel::debug))
            app.log.debug(std::string(http::to_string(req.method)) + " " + req.target + " -> " +
                          std::to_string(status));
        const bool keep =
            head.keep_alive() && !res.close && next == Next::keep_going && !ctx.stopping.load();
        const bool written = co_await write_response(stream, res, version, keep, timeout);
        if (!written) {
            close_hard(raw_socket(stream));
            co_return;
        }
        if (next == Next::linger) {
            co_await linger_close(stream);
            co_return;
        }
        if (!keep) {
            co_await shutdown_stream(stream);
            co_return;
        }
    }
}

bool is_loopback_peer(const tcp::socket& s) {
    beast::error_code ec;
    const auto ep = s.remote_endpoint(ec);
    return !ec && ep.address().is_loopback();
}

}  // namespace

asio::awaitable<void> serve_plain(tcp::socket socket, ConnectionContext* ctx) {
    const bool loop = is_loopback_peer(socket);
    beast::tcp_stream stream(std::move(socket));
    co_await http_loop(stream, false, loop, *ctx);
}

asio::awaitable<void> serve_tls(tcp::socket socket, asio::ssl::context* ssl,
                                ConnectionContext* ctx) {
    const bool loop = is_loopback_peer(socket);
    TlsStream stream(std::move(socket), *ssl);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, tok);
    if (ec) {
        ctx->app.log.debug("TLS handshake failed: " + ec.message());
        co_return;
    }
    co_await http_loop(stream, true, loop, *ctx);
}

}  // namespace gpe
