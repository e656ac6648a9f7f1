// The open connections, so shutdown can close them and wait for them.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace photosync::server {

// One client connection; its stream's executor is the connection's strand.
struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket socket) : stream(std::move(socket)) {}
    boost::beast::tcp_stream stream;
    std::uint64_t id = 0;
    std::string peer;  // "address:port", for the log
};

class ConnectionSet {
  public:
    void add(const std::shared_ptr<Connection>& c);
    void remove(const Connection& c);
    [[nodiscard]] std::size_t size() const;
    // Closes every connection (on its own strand): pending reads and writes end.
    void close_all();
    // True when every connection ended before `deadline`.
    bool wait_empty(std::chrono::steady_clock::time_point deadline);

  private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> open_;
};

}  // namespace photosync::server
