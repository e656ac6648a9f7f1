#include "listener.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include "http_session.hpp"

namespace photosync::server {

namespace asio = boost::asio;
using asio::ip::tcp;

void LogExceptions::operator()(const std::exception_ptr& e) const noexcept {
    if (!e) {
        return;
    }
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        ctx->engine.log().error(std::string("server: ") + what + " failed: " + ex.what());
    } catch (...) {
        ctx->engine.log().error(std::string("server: ") + what + " failed");
    }
}

sdk::awaitable<void> run_listener(std::shared_ptr<ServerContext> ctx,
                                  std::shared_ptr<tcp::acceptor> acceptor) {
    for (;;) {
        asio::any_io_executor strand = asio::make_strand(ctx->engine.executor());
        auto [ec, socket] = co_await acceptor->async_accept(strand, sdk::use_tuple);
        if (ec == asio::error::operation_aborted || ctx->stopping || !acceptor->is_open()) {
            co_return;
        }
        if (ec) {
            // Out of file descriptors and the like: wait a little, go on.
            ctx->engine.log().warn("server: accept failed: " + ec.message());
            asio::steady_timer pause(co_await asio::this_coro::executor,
                                     std::chrono::milliseconds(100));
            co_await pause.async_wait(sdk::use_tuple);
            continue;
        }
        boost::system::error_code ignored;
        (void)socket.set_option(tcp::no_delay(true), ignored);
        auto conn = std::make_shared<Connection>(std::move(socket));
        auto peer = conn->stream.socket().remote_endpoint(ignored);
        conn->peer = peer.address().to_string() + ":" + std::to_string(peer.port());
        bool full = ctx->connections.size() >= ctx->options.max_connections;
        ctx->connections.add(conn);
        auto done = [ctx, conn, log = LogExceptions{ctx, "connection"}](std::exception_ptr e) {
            log(e);
            ctx->connections.remove(*conn);
        };
        if (full) {
            asio::co_spawn(conn->stream.get_executor(), refuse_connection(ctx, conn),
                           std::move(done));
        } else {
            asio::co_spawn(conn->stream.get_executor(), run_http_session(ctx, conn),
                           std::move(done));
        }
    }
}

}  // namespace photosync::server
