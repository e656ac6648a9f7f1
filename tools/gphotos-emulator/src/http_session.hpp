#pragma once
// One HTTP/1.1 connection (plain or TLS): keep-alive loop with a fresh parser
// per message, per-operation timeouts, streamed request bodies,
// Expect: 100-continue, and the fault hooks (latency, drops, bandwidth).

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "app.hpp"

namespace gpe {

// Shared by all connections of a server: shutdown flag and request count.
struct ConnectionContext {
    App& app;
    std::atomic<bool> stopping{false};
    std::atomic<int> active_requests{0};
    int local_port = 0;
};

boost::asio::awaitable<void> serve_plain(boost::asio::ip::tcp::socket socket,
                                         ConnectionContext* ctx);
boost::asio::awaitable<void> serve_tls(boost::asio::ip::tcp::socket socket,
                                       boost::asio::ssl::context* ssl, ConnectionContext* ctx);

}  // namespace gpe
