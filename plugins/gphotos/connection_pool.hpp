// Keep-alive connections, pooled per origin (scheme, host, port) and shared by
// every request of a plugin instance. At most `per_origin` connections to one
// origin exist at a time; a request waits (FIFO) for one when all are busy.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "async_semaphore.hpp"
#include "photosync/sdk/error.hpp"
#include "url.hpp"

namespace photosync::gphotos {

// One TCP (or TLS over TCP) connection and its read buffer. Its streams run
// on a strand of their own (Beast's streams keep timers whose handlers must
// not race the operations): the HTTP client runs every operation of a
// request on `strand()`, whichever job's strand the request came from.
class Connection {
  public:
    using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    Connection(const boost::asio::any_io_executor& io, boost::asio::ssl::context& tls_context,
               bool tls);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    [[nodiscard]] const boost::asio::any_io_executor& strand() const noexcept { return strand_; }
    [[nodiscard]] bool tls() const noexcept { return tls_ != nullptr; }
    [[nodiscard]] boost::beast::tcp_stream& tcp() noexcept;
    [[nodiscard]] TlsStream& tls_stream() noexcept { return *tls_; }
    [[nodiscard]] boost::beast::flat_buffer& buffer() noexcept { return buffer_; }
    // Room for n bytes of a request body on their way out: kept with the
    // connection, so a request neither allocates nor clears a new buffer.
    [[nodiscard]] std::span<std::byte> body_buffer(std::size_t n) {
        if (body_buffer_.size() < n) {
            body_buffer_.resize(n);
        }
        return {body_buffer_.data(), n};
    }

    // Resolves, connects and (for https) runs the TLS handshake with SNI and
    // host name verification. Errors: transient (unreachable, timeout),
    // permission (certificate not trusted), cancelled.
    sdk::awaitable<sdk::Result<void>> open(const Url& url, std::chrono::seconds timeout);
    [[nodiscard]] bool is_open() const noexcept { return open_; }

    // Closes at once (no TLS close_notify: the peer may be gone).
    void close() noexcept;

    bool reused = false;  // served a request before
    std::chrono::steady_clock::time_point idle_since{};

  private:
    boost::asio::any_io_executor strand_;
    std::unique_ptr<boost::beast::tcp_stream> plain_;
    std::unique_ptr<TlsStream> tls_;
    boost::beast::flat_buffer buffer_;
    std::vector<std::byte> body_buffer_;
    bool open_ = false;
};

class ConnectionPool {
    struct Origin;

  public:
    ConnectionPool(boost::asio::any_io_executor io,
                   std::shared_ptr<boost::asio::ssl::context> tls_context, std::size_t per_origin);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // A connection lent to one request. Destroyed without keep(), the
    // connection is closed; with keep(), it goes back to the pool.
    class Lease {
      public:
        Lease() = default;
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) noexcept = default;
        ~Lease();
        Connection& operator*() const noexcept { return *connection_; }
        Connection* operator->() const noexcept { return connection_.get(); }
        void keep() noexcept { keep_ = true; }

      private:
        friend class ConnectionPool;
        ConnectionPool* pool_ = nullptr;
        Origin* origin_ = nullptr;
        std::unique_ptr<Connection> connection_;
        AsyncSemaphore::Permit permit_;
        bool keep_ = false;
    };

    // Waits for a free slot of url's origin; hands out an idle connection
    // that has been idle less than max_idle, else a new (unopened) one.
    sdk::awaitable<Lease> lease(const Url& url, std::chrono::seconds max_idle);

  private:
    struct Origin {
        explicit Origin(std::size_t n) : slots(n) {}
        AsyncSemaphore slots;
        std::vector<std::unique_ptr<Connection>> idle;  // most recently used last
    };

    Origin& origin_for(const Url& url);
    void give_back(Origin& origin, std::unique_ptr<Connection> connection) noexcept;

    boost::asio::any_io_executor io_;
    std::shared_ptr<boost::asio::ssl::context> tls_context_;
    std::size_t per_origin_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Origin>> origins_;
};

}  // namespace photosync::gphotos
