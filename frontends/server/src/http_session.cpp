#include "http_session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

#include "event_stream.hpp"
#include "responses.hpp"
#include "router.hpp"

namespace photosync::server {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr std::size_t kDrainBytes = 8 * 1024 * 1024;

// After an error response: stop sending, and read (and drop) what the client
// is still sending for a moment, so closing does not reset the connection
// before the client has read our answer.
sdk::awaitable<void> drain_and_close(std::shared_ptr<Connection> conn) {
    beast::error_code ignored;
    conn->stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    std::array<char, 16384> sink{};
    std::size_t total = 0;
    conn->stream.expires_after(kDrainTime);
    while (total < kDrainBytes) {
        auto [ec, n] = co_await conn->stream.async_read_some(asio::buffer(sink), sdk::use_tuple);
        if (ec) {
            break;
        }
        total += n;
    }
    conn->stream.close();
}

sdk::awaitable<bool> send(std::shared_ptr<Connection> conn, Response response,
                          std::chrono::milliseconds timeout) {
    conn->stream.expires_after(timeout);
    auto [ec, n] = co_await http::async_write(conn->stream, response, sdk::use_tuple);
    co_return !ec;
}

// What a failed read means for the client, if it deserves an answer.
std::optional<Response> refusal_for(const beast::error_code& ec, const ServerOptions& options) {
    if (ec == http::error::body_limit) {
        return error_response(
            11, http::status::payload_too_large,
            "the request body is larger than " + std::to_string(options.body_limit) + " bytes",
            "invalid_input");
    }
    if (ec == http::error::header_limit) {
        return error_response(11, http::status::request_header_fields_too_large,
                              "the request line and headers are larger than " +
                                  std::to_string(options.header_limit) + " bytes",
                              "invalid_input");
    }
    if (ec == beast::error::timeout) {
        // Beast has closed the socket already: a slow or idle client is just cut off.
        return std::nullopt;
    }
    if (ec.category() == beast::http::make_error_code(http::error::bad_method).category()) {
        return error_response(11, http::status::bad_request,
                              "malformed HTTP request: " + ec.message(), "invalid_input");
    }
    return std::nullopt;  // the connection broke
}

}  // namespace

sdk::awaitable<void> run_http_session(std::shared_ptr<ServerContext> ctx,
                                      std::shared_ptr<Connection> conn) {
    beast::flat_buffer buffer;
    for (;;) {
        // A new parser for every request (Beast #2715): limits and state start fresh.
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(ctx->options.header_limit));
        parser.body_limit(ctx->options.body_limit);
        conn->stream.expires_after(ctx->options.read_timeout);
        auto [ec, n] = co_await http::async_read(conn->stream, buffer, parser, sdk::use_tuple);
        if (ec == http::error::end_of_stream) {
            // The client closed its side (Beast #2637: do not loop on it).
            break;
        }
        if (ec) {
            auto refusal = refusal_for(ec, ctx->options);
            if (refusal && !ctx->stopping) {
                refusal->keep_alive(false);
                bool sent = co_await send(conn, std::move(*refusal), ctx->options.write_timeout);
                if (sent) {
                    co_await drain_and_close(conn);
                }
            }
            co_return;
        }
        Request request = parser.release();
        const bool keep_alive = request.keep_alive();
        Routed routed;
        try {
            routed = co_await route(ctx, std::move(request));
        } catch (const std::exception& e) {
            // A bug, not the client's fault: say so, log it, keep serving.
            ctx->engine.log().error(std::string("server: request failed: ") + e.what());
            routed.response = error_response(11, http::status::internal_server_error,
                                             "internal error: see the server's log", "internal");
        }
        if (routed.event_stream) {
            co_await run_event_stream(ctx, conn, std::move(routed.request));
            break;
        }
        routed.response.keep_alive(keep_alive && !ctx->stopping);
        const bool again = routed.response.keep_alive();
        bool sent = co_await send(conn, std::move(routed.response), ctx->options.write_timeout);
        if (!sent) {
            co_return;
        }
        if (!again) {
            break;
        }
    }
    beast::error_code ignored;
    conn->stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    conn->stream.close();
}

sdk::awaitable<void> refuse_connection(std::shared_ptr<ServerContext> ctx,
                                       std::shared_ptr<Connection> conn) {
    auto response = error_response(11, http::status::service_unavailable,
                                   "too many connections: try again in a moment", "transient");
    response.set(http::field::retry_after, "1");
    response.keep_alive(false);
    bool sent = co_await send(conn, std::move(response), ctx->options.write_timeout);
    if (sent) {
        co_await drain_and_close(conn);
    }
}

}  // namespace photosync::server
