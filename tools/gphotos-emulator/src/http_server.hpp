#pragma once
// Listeners (HTTPS and optional plain HTTP on loopback), the io threads,
// signal handling, periodic state saving and graceful shutdown.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "app.hpp"
#include "http_session.hpp"

namespace gpe {

class Server {
  public:
    explicit Server(App& app);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listeners (ports are known after this) and writes the
    // port/info/CA/client-secret files. Throws on failure.
    void listen();
    // Runs the io threads until stop() (signal, control call).
    void run();
    // Thread-safe: stop accepting, let running requests finish (≤ 2 s), save.
    void stop();

    int https_port() const { return https_port_; }
    int http_port() const { return http_port_; }

  private:
    boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor* acc, bool tls);
    boost::asio::awaitable<void> save_loop();
    boost::asio::awaitable<void> shutdown_sequence();
    void write_files();
    std::unique_ptr<boost::asio::ip::tcp::acceptor> bind(int port);
    // The io_context the next connection lives on, round robin.
    boost::asio::io_context& next_connection_context();

    App& app_;
    // Declared before the io_contexts so that they outlive them: a
    // connection still pending when a context is destroyed refers to these.
    ConnectionContext https_ctx_;
    ConnectionContext http_ctx_;
    std::optional<boost::asio::ssl::context> ssl_;
    // The listeners, signals, saving and shutdown; connections too, with
    // --threads 1. With more threads each runs an io_context of its own
    // (this one first) and a connection stays on one thread: no hand-offs
    // between threads inside a request.
    boost::asio::io_context ioc_;
    std::vector<std::unique_ptr<boost::asio::io_context>> more_contexts_;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
        keep_running_;
    std::size_t next_context_ = 0;
    int accept_loops_ = 0;  // running; only ioc_'s thread touches it
    std::unique_ptr<boost::asio::ip::tcp::acceptor> https_acc_;
    std::unique_ptr<boost::asio::ip::tcp::acceptor> http_acc_;
    boost::asio::signal_set signals_;
    std::atomic<bool> stopping_{false};
    int https_port_ = -1;
    int http_port_ = -1;
};

}  // namespace gpe
