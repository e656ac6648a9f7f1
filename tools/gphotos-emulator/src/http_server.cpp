#include "http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

#include "tls.hpp"

namespace gpe {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto tok = asio::as_tuple(asio::use_awaitable);

void write_text_file(const std::string& path, const std::string& text) {
    if (path.empty())
        return;
    // Write then rename: a reader polling for the file never sees half of it.
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        if (!out)
            throw std::runtime_error("cannot write " + path);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot rename to " + path);
}

auto log_exception(Logger& log, std::string what) {
    return [&log, what = std::move(what)](std::exception_ptr e) {
        if (!e)
            return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log.error(what + ": " + ex.what());
        } catch (...) {
            log.error(what + ": unknown exception");
        }
    };
}

}  // namespace

Server::Server(App& app)
    : app_(app), https_ctx_{app}, http_ctx_{app}, signals_(ioc_, SIGINT, SIGTERM) {
    app_.request_shutdown = [this] { stop(); };
}

Server::~Server() {
    app_.request_shutdown = nullptr;
}

std::unique_ptr<tcp::acceptor> Server::bind(int port) {
    const auto addr = asio::ip::make_address(app_.cfg.listen);
    auto acc = std::make_unique<tcp::acceptor>(ioc_);
    const tcp::endpoint ep(addr, static_cast<unsigned short>(port));
    acc->open(ep.protocol());
    acc->set_option(asio::socket_base::reuse_address(true));
    acc->bind(ep);
    acc->listen(asio::socket_base::max_listen_connections);
    return acc;
}

void Server::listen() {
    if (app_.cfg.https) {
        if (app_.cfg.ca_file.empty())
            app_.cfg.ca_file = "photosync-emulator-ca.pem";
        const TlsMaterial m = make_tls_material(app_.cfg.ca_file, app_.cfg.ca_key_file);
        ssl_.emplace(make_server_context(m));
        https_acc_ = bind(app_.cfg.port);
        https_port_ = https_acc_->local_endpoint().port();
        https_ctx_.local_port = https_port_;
    }
    if (app_.cfg.http_port >= 0) {
        http_acc_ = bind(app_.cfg.http_port);
        http_port_ = http_acc_->local_endpoint().port();
        http_ctx_.local_port = http_port_;
    }
    if (!https_acc_ && !http_acc_)
        throw std::runtime_error("nothing to listen on: HTTPS disabled and no --http-port");
    app_.https_port = https_port_;
    app_.http_port = http_port_;
    write_files();
}

void Server::write_files() {
    const auto& c = app_.cfg;
    const int main_port = https_port_ >= 0 ? https_port_ : http_port_;
    if (!c.client_secret_file.empty()) {
        const std::string base = (https_port_ >= 0 ? "https://127.0.0.1:" : "http://127.0.0.1:") +
                                 std::to_string(main_port);
        const nlohmann::json cs{{"installed",
                                 {{"client_id", c.client_id},
                                  {"project_id", c.project_id},
                                  {"auth_uri", base + "/o/oauth2/auth"},
                                  {"token_uri", base + "/token"},
                                  {"auth_provider_x509_cert_url", base + "/oauth2/v1/certs"},
                                  {"client_secret", c.client_secret},
                                  {"redirect_uris", {"http://localhost"}}}}};
        write_text_file(c.client_secret_file, cs.dump(2) + "\n");
    }
    if (http_port_ >= 0)
        write_text_file(c.http_port_file, std::to_string(http_port_) + "\n");
    write_text_file(c.port_file, std::to_string(main_port) + "\n");
    // Last: once the info file exists every other file is complete too.
    write_text_file(c.info_file, app_.info().dump(2) + "\n");
    // The line tests and scripts wait for: every address, then "ready".
    if (https_port_ >= 0)
        std::printf("photosync-emulator https://127.0.0.1:%d ca=%s\n", https_port_,
                    c.ca_file.c_str());
    if (http_port_ >= 0)
        std::printf("photosync-emulator http://127.0.0.1:%d\n", http_port_);
    std::printf("photosync-emulator ready port=%d\n", main_port);
    std::fflush(stdout);
}

asio::awaitable<void> Server::accept_loop(tcp::acceptor* acc, bool tls) {
    ConnectionContext* ctx = tls ? &https_ctx_ : &http_ctx_;
    ++accept_loops_;
    struct Ended {
        int& n;
        ~Ended() { --n; }
    } ended{accept_loops_};
    for (;;) {
        // A connection lives on one io_context, which one thread runs: no strand needed.
        tcp::socket socket(next_connection_context());
        auto [ec] = co_await acc->async_accept(socket, tok);
        if (ec) {
            if (ec == asio::error::operation_aborted || !acc->is_open())
                co_return;
            app_.log.warn("accept failed: " + ec.message());
            continue;
        }
        // Replies must not wait for Nagle.
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        app_.stats.connection_opened();
        auto ex = socket.get_executor();
        if (tls)
            asio::co_spawn(ex, serve_tls(std::move(socket), &*ssl_, ctx),
                           log_exception(app_.log, "TLS connection"));
        else
            asio::co_spawn(ex, serve_plain(std::move(socket), ctx),
                           log_exception(app_.log, "HTTP connection"));
    }
}

asio::awaitable<void> Server::save_loop() {
    if (app_.cfg.state_file.empty())
        co_return;
    std::uint64_t saved = app_.state_version();
    asio::steady_timer t(ioc_);
    while (!stopping_) {
        t.expires_after(std::chrono::milliseconds(500));
        auto [ec] = co_await t.async_wait(tok);
        if (ec)
            co_return;
        const std::uint64_t v = app_.state_version();
        if (v != saved && app_.save_state())
            saved = v;
    }
}

asio::awaitable<void> Server::shutdown_sequence() {
    https_ctx_.stopping = true;
    http_ctx_.stopping = true;
    boost::system::error_code ec;
    if (https_acc_)
        https_acc_->close(ec);
    if (http_acc_)
        http_acc_->close(ec);
    signals_.cancel(ec);
    asio::steady_timer t(ioc_);
    // The accept loops end first: each waits with a socket of a connection
    // context, which must go while that context is still there.
    do {
        t.expires_after(std::chrono::milliseconds(1));
        co_await t.async_wait(tok);
    } while (accept_loops_ > 0);
    // Let running requests finish (their replies go out with Connection: close).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while ((https_ctx_.active_requests > 0 || http_ctx_.active_requests > 0) &&
           std::chrono::steady_clock::now() < until) {
        t.expires_after(std::chrono::milliseconds(10));
        co_await t.async_wait(tok);
    }
    app_.save_state();
    app_.log.info("shut down");
    keep_running_.clear();
    for (auto& c : more_contexts_)
        c->stop();
    ioc_.stop();
}

asio::io_context& Server::next_connection_context() {
    // Only the accept loops call this, and they run on ioc_'s one thread.
    const std::size_t i = next_context_++ % (more_contexts_.size() + 1);
    return i == 0 ? ioc_ : *more_contexts_[i - 1];
}

void Server::stop() {
    if (stopping_.exchange(true))
        return;
    asio::co_spawn(ioc_, shutdown_sequence(), log_exception(app_.log, "shutdown"));
}

void Server::run() {
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (ec)
            return;
        app_.log.info("signal " + std::to_string(sig) + ": shutting down");
        stop();
    });
    if (https_acc_)
        asio::co_spawn(ioc_, accept_loop(https_acc_.get(), true),
                       log_exception(app_.log, "HTTPS accept loop"));
    if (http_acc_)
        asio::co_spawn(ioc_, accept_loop(http_acc_.get(), false),
                       log_exception(app_.log, "HTTP accept loop"));
    asio::co_spawn(ioc_, save_loop(), log_exception(app_.log, "state saver"));

    unsigned n = app_.cfg.threads > 0 ? static_cast<unsigned>(app_.cfg.threads)
                                      : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 1; i < n; ++i) {
        more_contexts_.push_back(std::make_unique<asio::io_context>(1));
        keep_running_.push_back(asio::make_work_guard(*more_contexts_.back()));
    }
    std::vector<std::thread> threads;
    for (auto& c : more_contexts_)
        threads.emplace_back([&c] { c->run(); });
    ioc_.run();
    for (auto& t : threads)
        t.join();
    more_contexts_.clear();  // their connections go while everything they use is here
}

}  // namespace gpe
