// Accepts connections and runs a session for each, each on its own strand of
// the engine's executor. Beyond max_connections a client gets 503.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "photosync/sdk/asio.hpp"
#include "server_context.hpp"

namespace photosync::server {

sdk::awaitable<void> run_listener(std::shared_ptr<ServerContext> ctx,
                                  std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor);

// The completion handler of every co_spawn: a coroutine that ends with an
// exception is logged (never lost, never fatal). `what` names it.
struct LogExceptions {
    std::shared_ptr<ServerContext> ctx;
    const char* what;
    void operator()(const std::exception_ptr& e) const noexcept;
};

}  // namespace photosync::server
