#include "connection_pool.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include "transport_errors.hpp"

namespace photosync::gphotos {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

Connection::Connection(const asio::any_io_executor& io, ssl::context& tls_context, bool tls)
    : strand_(asio::make_strand(io)) {
    if (tls) {
        tls_ = std::make_unique<TlsStream>(strand_, tls_context);
    } else {
        plain_ = std::make_unique<beast::tcp_stream>(strand_);
    }
}

Connection::~Connection() {
    close();
}

beast::tcp_stream& Connection::tcp() noexcept {
    return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

void Connection::close() noexcept {
    open_ = false;
    beast::error_code ec;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp().socket().close(ec);
}

sdk::awaitable<sdk::Result<void>> Connection::open(const Url& url, std::chrono::seconds timeout) {
    auto executor = co_await asio::this_coro::executor;
    auto cs = co_await asio::this_coro::cancellation_state;
    tcp::resolver resolver(executor);
    auto [rec, endpoints] = co_await resolver.async_resolve(url.host, url.port, sdk::use_tuple);
    if (rec) {
        co_return std::unexpected(transport_error(rec, "cannot find " + url.host, cancelled(cs)));
    }
    auto& stream = tcp();
    stream.expires_after(timeout);
    auto [cec, endpoint] = co_await stream.async_connect(endpoints, sdk::use_tuple);
    if (cec) {
        co_return std::unexpected(
            transport_error(cec, "cannot connect to " + url.host_header(), cancelled(cs)));
    }
    beast::error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);
    if (tls_) {
        // SNI names a host, never an address (RFC 6066).
        if (!url.host_is_ip_literal() &&
            SSL_set_tlsext_host_name(tls_->native_handle(), url.host.c_str()) != 1) {
            co_return sdk::fail(sdk::ErrorKind::internal, "cannot set the TLS server name");
        }
        tls_->set_verify_callback(ssl::host_name_verification(url.host));
        stream.expires_after(timeout);
        auto [hec] = co_await tls_->async_handshake(ssl::stream_base::client, sdk::use_tuple);
        if (hec) {
            co_return std::unexpected(transport_error(
                hec, "TLS handshake with " + url.host_header() + " failed", cancelled(cs)));
        }
    }
    stream.expires_never();
    open_ = true;
    co_return sdk::Result<void>{};
}

ConnectionPool::Lease::~Lease() {
    if (pool_ != nullptr && connection_) {
        if (keep_ && connection_->is_open()) {
            pool_->give_back(*origin_, std::move(connection_));
        } else {
            connection_->close();
        }
    }
    connection_.reset();
    permit_.release();  // after the connection is back: the next waiter may take it
}

ConnectionPool::ConnectionPool(asio::any_io_executor io, std::shared_ptr<ssl::context> tls_context,
                               std::size_t per_origin)
    : io_(std::move(io)), tls_context_(std::move(tls_context)), per_origin_(per_origin) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Origin& ConnectionPool::origin_for(const Url& url) {
    std::lock_guard lock(mutex_);
    auto& slot = origins_[url.origin()];
    if (!slot) {
        slot = std::make_unique<Origin>(per_origin_);
    }
    return *slot;
}

sdk::awaitable<ConnectionPool::Lease> ConnectionPool::lease(const Url& url,
                                                            std::chrono::seconds max_idle) {
    Origin& origin = origin_for(url);
    Lease lease;
    lease.permit_ = co_await origin.slots.acquire();
    lease.pool_ = this;
    lease.origin_ = &origin;
    auto now = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<Connection>> stale;
    {
        std::lock_guard lock(mutex_);
        while (!origin.idle.empty()) {
            auto c = std::move(origin.idle.back());
            origin.idle.pop_back();
            if (now - c->idle_since < max_idle) {
                lease.connection_ = std::move(c);
                break;
            }
            stale.push_back(std::move(c));  // too old to trust: closed below
        }
    }
    stale.clear();
    if (!lease.connection_) {
        lease.connection_ = std::make_unique<Connection>(io_, *tls_context_, url.tls);
    }
    co_return lease;
}

void ConnectionPool::give_back(Origin& origin, std::unique_ptr<Connection> connection) noexcept {
    connection->reused = true;
    connection->idle_since = std::chrono::steady_clock::now();
    try {
        std::lock_guard lock(mutex_);
        origin.idle.push_back(std::move(connection));
    } catch (...) {
        // Out of memory: the connection is closed by its destructor.
    }
}

}  // namespace photosync::gphotos
