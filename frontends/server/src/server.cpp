#include "photosync/server/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <charconv>
#include <thread>

#include "access_token.hpp"
#include "listener.hpp"
#include "progress_ticker.hpp"
#include "server_context.hpp"

namespace photosync::server {

namespace asio = boost::asio;
using asio::ip::tcp;

sdk::Result<void> parse_listen(std::string_view text, ServerOptions& options) {
    auto bad = [&] {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "--listen '" + std::string(text) +
                             "' is not ADDRESS:PORT (e.g. 127.0.0.1:8080, [::1]:8080, "
                             "0.0.0.0:8080) or PORT");
    };
    std::string_view host;
    std::string_view port = text;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return bad();
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
        if (text.find(':') != colon) {
            return bad();  // a bare IPv6 address needs brackets
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
        return bad();
    }
    std::string address = host.empty() || host == "localhost" ? "127.0.0.1" : std::string(host);
    boost::system::error_code aec;
    (void)asio::ip::make_address(address, aec);
    if (aec) {
        return bad();
    }
    options.address = address;
    options.port = static_cast<std::uint16_t>(value);
    return {};
}

struct Server::Impl {
    std::shared_ptr<ServerContext> ctx;
    std::shared_ptr<tcp::acceptor> acceptor;
    std::shared_ptr<asio::steady_timer> ticker;
    tcp::endpoint endpoint;
    std::filesystem::path token_file;
    bool token_created = false;
    bool shut_down = false;
    // Watches that had not ended by the end of the grace period: let go by
    // their records (whose last owner may be a watch's own thread, which
    // cannot join itself) and joined here, on the thread that ends the server.
    std::vector<std::shared_ptr<engine::FolderWatch>> unended_watches;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
    shutdown(std::chrono::seconds(5));
}

sdk::Result<std::unique_ptr<Server>> Server::start(engine::Engine& engine, ServerOptions options) {
    auto paths = PathPolicy::create(options.allowed_roots);
    if (!paths) {
        return std::unexpected(paths.error());
    }
    auto impl = std::make_unique<Impl>();
    impl->token_file =
        options.token_file.empty() ? engine.state_dir() / "server-token" : options.token_file;
    auto token = load_or_create_token(impl->token_file);
    if (!token) {
        return std::unexpected(token.error());
    }
    impl->token_created = token->created;

    boost::system::error_code ec;
    auto address = asio::ip::make_address(options.address, ec);
    if (ec) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "cannot listen on '" + options.address + "': not an IP address");
    }
    tcp::endpoint wanted(address, options.port);
    auto acceptor = std::make_shared<tcp::acceptor>(asio::make_strand(engine.executor()));
    auto where = wanted.address().to_string() + ":" + std::to_string(wanted.port());
    if (acceptor->open(wanted.protocol(), ec); ec) {
        return sdk::fail(sdk::ErrorKind::io, "cannot listen on " + where + ": " + ec.message());
    }
    (void)acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (acceptor->bind(wanted, ec); ec) {
        return sdk::fail(
            ec == asio::error::address_in_use ? sdk::ErrorKind::invalid_input : sdk::ErrorKind::io,
            "cannot listen on " + where + ": " + ec.message() +
                (ec == asio::error::address_in_use ? " (choose another with --listen)" : ""));
    }
    if (acceptor->listen(asio::socket_base::max_listen_connections, ec); ec) {
        return sdk::fail(sdk::ErrorKind::io, "cannot listen on " + where + ": " + ec.message());
    }
    impl->endpoint = acceptor->local_endpoint();
    impl->acceptor = acceptor;

    auto ctx = std::make_shared<ServerContext>(engine, std::move(options), std::move(token->value),
                                               std::move(*paths));
    impl->ctx = ctx;
    impl->ticker = std::make_shared<asio::steady_timer>(asio::make_strand(engine.executor()));
    std::weak_ptr<asio::steady_timer> weak_ticker = impl->ticker;
    std::weak_ptr<ServerContext> weak_ctx = ctx;
    ctx->jobs.on_finished([weak_ticker, weak_ctx] {
        auto t = weak_ticker.lock();
        auto c = weak_ctx.lock();
        if (!t || !c) {
            return;
        }
        c->tick_requested.store(true);
        asio::post(t->get_executor(), [t] { t->cancel(); });
    });
    asio::co_spawn(impl->ticker->get_executor(), run_progress_ticker(ctx, impl->ticker),
                   LogExceptions{ctx, "progress ticker"});
    asio::co_spawn(acceptor->get_executor(), run_listener(ctx, acceptor),
                   LogExceptions{ctx, "listener"});
    return std::unique_ptr<Server>(new Server(std::move(impl)));
}

tcp::endpoint Server::local_endpoint() const {
    return impl_->endpoint;
}

std::string Server::url() const {
    auto address = impl_->endpoint.address();
    if (address.is_unspecified()) {
        // Listening on every interface: loopback reaches it from this machine.
        address = address.is_v6() ? asio::ip::address(asio::ip::address_v6::loopback())
                                  : asio::ip::address(asio::ip::address_v4::loopback());
    }
    std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return "http://" + host + ":" + std::to_string(impl_->endpoint.port()) + "/";
}

std::string Server::url_with_token() const {
    return url() + "#token=" + impl_->ctx->token;
}

const std::string& Server::token() const noexcept {
    return impl_->ctx->token;
}

const std::filesystem::path& Server::token_file() const noexcept {
    return impl_->token_file;
}

bool Server::token_created() const noexcept {
    return impl_->token_created;
}

const std::vector<std::filesystem::path>& Server::allowed_roots() const noexcept {
    return impl_->ctx->paths.roots();
}

void Server::shutdown(std::chrono::milliseconds grace) {
    if (impl_->shut_down) {
        return;
    }
    impl_->shut_down = true;
    auto& ctx = *impl_->ctx;
    auto deadline = std::chrono::steady_clock::now() + grace;
    ctx.stopping.store(true);
    // 1. No new connections.
    auto acceptor = impl_->acceptor;
    asio::post(acceptor->get_executor(), [acceptor] {
        boost::system::error_code ignored;
        acceptor->close(ignored);
    });
    // 2. Every job stops; give them the grace period to end cleanly.
    ctx.jobs.cancel_all();
    if (!ctx.jobs.wait_all(deadline)) {
        ctx.engine.log().warn("server: some jobs did not stop in time; the engine ends them");
    }
    // The final word on each job, here: the ticker may have had its last
    // tick before a watch had set its result.
    ctx.jobs.tick();
    impl_->unended_watches = ctx.jobs.release_watches();
    // 3. The ticker publishes the jobs' final state and ends; event streams
    //    send what is left and a "shutdown" event, then close.
    auto ticker = impl_->ticker;
    asio::post(ticker->get_executor(), [ticker] { ticker->cancel(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ctx.events->wake_all();
    (void)ctx.connections.wait_empty(std::chrono::steady_clock::now() +
                                     std::chrono::milliseconds(300));
    // 4. Idle keep-alive connections and anything else still open.
    ctx.connections.close_all();
    if (!ctx.connections.wait_empty(std::chrono::steady_clock::now() + std::chrono::seconds(2))) {
        ctx.engine.log().warn("server: some connections did not close in time");
    }
    ctx.blocking.join();
}

}  // namespace photosync::server
