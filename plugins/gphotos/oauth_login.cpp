#include "oauth_login.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <ctime>
#include <sstream>

#include "api_errors.hpp"
#include "oauth_endpoints.hpp"
#include "photosync/sdk/blocking.hpp"
#include "pkce.hpp"
#include "token_store.hpp"
#include "transport_errors.hpp"
#include "url.hpp"

namespace photosync::gphotos {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using sdk::ErrorKind;

namespace {

struct Redirect {
    std::string code;
    std::string redirect_uri;
};

struct LoginRequest {
    std::string auth_url;
    std::string client_id;
    std::string challenge;
    std::string state;
    sdk::LoginPrompt prompt;
};

const char* page(bool ok) {
    return ok ? "<!doctype html><title>photosync</title><p>photosync is signed in to Google "
                "Photos. You can close this tab.</p>"
              : "<!doctype html><title>photosync</title><p>photosync could not complete the "
                "sign-in. See the terminal for details.</p>";
}

sdk::awaitable<void> reply(beast::tcp_stream& stream, http::status status, bool ok) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(false);
    res.body() = status == http::status::not_found ? "not found" : page(ok);
    res.prepare_payload();
    stream.expires_after(std::chrono::seconds(10));
    (void)co_await http::async_write(stream, res, sdk::use_tuple);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

// Runs on a strand of its own: the deadline timer and the listener share it.
sdk::awaitable<sdk::Result<Redirect>> catch_redirect(LoginRequest request) {
    auto executor = co_await asio::this_coro::executor;
    auto cs = co_await asio::this_coro::cancellation_state;
    struct Listener {
        explicit Listener(const asio::any_io_executor& ex) : acceptor(ex), timer(ex) {}
        tcp::acceptor acceptor;
        asio::steady_timer timer;
        bool timed_out = false;
    };
    auto listener = std::make_shared<Listener>(executor);
    beast::error_code ec;
    // Loopback only: the code must never be reachable from another machine.
    tcp::endpoint loopback(asio::ip::address_v4::loopback(), 0);
    listener->acceptor.open(loopback.protocol(), ec);
    if (!ec) {
        listener->acceptor.bind(loopback, ec);
    }
    if (!ec) {
        listener->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        co_return sdk::fail(ErrorKind::transient,
                            "cannot listen on 127.0.0.1 for the sign-in: " + ec.message());
    }
    const auto port = listener->acceptor.local_endpoint().port();
    Redirect result{{}, "http://127.0.0.1:" + std::to_string(port)};
    std::string scopes = std::string(kScopeAppendOnly) + " " + kScopeReadAppCreated;
    auto url = with_query(request.auth_url, {{"client_id", request.client_id},
                                             {"redirect_uri", result.redirect_uri},
                                             {"response_type", "code"},
                                             {"scope", scopes},
                                             {"code_challenge", request.challenge},
                                             {"code_challenge_method", "S256"},
                                             {"state", request.state},
                                             {"access_type", "offline"},
                                             {"prompt", "consent"}});
    listener->timer.expires_after(kLoginTimeout);
    listener->timer.async_wait([listener](beast::error_code e) {
        if (!e) {
            listener->timed_out = true;
            beast::error_code ignored;
            listener->acceptor.close(ignored);
        }
    });
    struct StopTimer {
        std::shared_ptr<Listener> l;
        ~StopTimer() { l->timer.cancel(); }
    } stop_timer{listener};

    if (request.prompt.open_url) {
        request.prompt.open_url(url);
    }
    for (;;) {
        auto [aec, socket] = co_await listener->acceptor.async_accept(sdk::use_tuple);
        if (aec) {
            if (listener->timed_out) {
                co_return sdk::fail(ErrorKind::auth,
                                    "no sign-in arrived within 5 minutes: run `photosync auth "
                                    "login` again");
            }
            co_return std::unexpected(
                transport_error(aec, "waiting for the sign-in", cancelled(cs)));
        }
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        http::request_parser<http::empty_body> parser;
        parser.header_limit(16 * 1024);
        stream.expires_after(std::chrono::seconds(10));
        auto [rec, n] = co_await http::async_read(stream, buffer, parser, sdk::use_tuple);
        if (rec) {
            continue;  // not a browser, or it gave up: keep waiting
        }
        std::string target(parser.get().target());
        auto path = target.substr(0, target.find('?'));
        auto state = query_param(target, "state");
        auto code = query_param(target, "code");
        auto error = query_param(target, "error");
        if (path != "/" || (!state && !code && !error)) {
            co_await reply(stream, http::status::not_found, false);  // e.g. /favicon.ico
            continue;
        }
        if (state.value_or("") != request.state) {
            co_await reply(stream, http::status::bad_request, false);
            co_return sdk::fail(ErrorKind::auth,
                                "the browser's sign-in reply does not belong to this login "
                                "(state mismatch): run `photosync auth login` again");
        }
        if (error) {
            co_await reply(stream, http::status::ok, false);
            co_return sdk::fail(ErrorKind::auth, "the sign-in was not completed in the browser (" +
                                                     clean_text(*error, 100) + ")");
        }
        if (!code || code->empty()) {
            co_await reply(stream, http::status::bad_request, false);
            co_return sdk::fail(ErrorKind::auth, "the browser's sign-in reply has no code");
        }
        co_await reply(stream, http::status::ok, true);
        result.code = std::move(*code);
        co_return result;
    }
}

std::string now_rfc3339() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::string short_scopes(const std::string& scopes) {
    std::istringstream in(scopes);
    std::string scope, out;
    while (in >> scope) {
        auto dot = scope.rfind("photoslibrary.");
        auto name = dot != std::string::npos ? scope.substr(dot + 14) : scope;
        out += (out.empty() ? "" : ", ") + name;
    }
    return out.empty() ? "none" : out;
}

sdk::awaitable<sdk::Result<std::string>> run_login(const Settings& settings, HttpClient& http,
                                                   asio::any_io_executor blocking,
                                                   sdk::LogSink& log, sdk::LoginPrompt prompt) {
    auto client =
        co_await sdk::run_blocking(blocking, [&settings] { return load_oauth_client(settings); });
    if (!client) {
        co_return std::unexpected(std::move(client.error()));
    }
    auto verifier = random_token(64);
    LoginRequest request{client->auth_url, client->secret.client_id, pkce_challenge(verifier),
                         random_token(32), std::move(prompt)};
    auto executor = co_await asio::this_coro::executor;
    auto strand = asio::make_strand(executor);
    auto listen = catch_redirect(std::move(request));
    auto [ex, redirect] = co_await asio::co_spawn(strand, std::move(listen), sdk::use_tuple);
    if (ex) {
        co_return sdk::fail(ErrorKind::internal, "the sign-in listener failed");
    }
    if (!redirect) {
        co_return std::unexpected(std::move(redirect.error()));
    }
    log.debug("gphotos: sign-in code received; exchanging it");
    auto grant = co_await exchange_code(http, *client, std::move(redirect->code),
                                        std::move(verifier), std::move(redirect->redirect_uri));
    if (!grant) {
        co_return std::unexpected(std::move(grant.error()));
    }
    if (grant->refresh_token.empty()) {
        co_return sdk::fail(ErrorKind::auth,
                            "Google did not hand out a lasting sign-in (no refresh token): "
                            "remove photosync's access at https://myaccount.google.com/permissions "
                            "and run `photosync auth login` again");
    }
    if (!grant->scope.empty() && grant->scope.find(kScopeAppendOnly) == std::string::npos) {
        co_return sdk::fail(ErrorKind::auth,
                            "the sign-in does not allow uploading to Google Photos (granted: " +
                                short_scopes(grant->scope) +
                                "): run `photosync auth login` again and allow it");
    }
    StoredCredentials stored{grant->refresh_token,
                             grant->scope.empty()
                                 ? std::string(kScopeAppendOnly) + " " + kScopeReadAppCreated
                                 : grant->scope,
                             client->secret.client_id, now_rfc3339()};
    TokenStore store(settings.credentials_file());
    auto saved = co_await sdk::run_blocking(blocking, [&] { return store.save(stored); });
    if (!saved) {
        co_return std::unexpected(std::move(saved.error()));
    }
    co_return "signed in to Google Photos (access: " + short_scopes(stored.scope) +
        "); the sign-in is stored in " + sdk::display_path(store.file().string());
}

}  // namespace photosync::gphotos
