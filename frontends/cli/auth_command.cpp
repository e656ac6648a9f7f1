// photosync auth login|status|logout [--to PLUGIN] [-o KEY=VALUE]
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"

extern char** environ;

namespace photosync::cli {

void setup_auth(CLI::App& app, AuthOptions& o) {
    app.require_subcommand(1);
    app.add_option("--to", o.to, "the destination plugin to sign in to")->capture_default_str();
    app.add_option("-o,--option", o.dest_options, "plugin option KEY=VALUE (repeatable)");
    app.add_subcommand("login", "sign in (opens a browser) and store the credentials")
        ->callback([&o] { o.action = AuthOptions::Action::login; });
    app.add_subcommand("status", "show whether credentials are stored")->callback([&o] {
        o.action = AuthOptions::Action::status;
    });
    app.add_subcommand("logout", "revoke and delete the stored credentials")->callback([&o] {
        o.action = AuthOptions::Action::logout;
    });
}

namespace {

// Opens `url` with $BROWSER, else xdg-open when a desktop is there. The URL
// is always printed too, for headless machines (open it elsewhere).
void open_in_browser(const std::string& url) {
    std::cerr << "photosync: to sign in, open this address in a browser:\n  " << url << "\n"
              << std::flush;
    std::string opener;
    if (const char* b = std::getenv("BROWSER"); b != nullptr && *b != '\0') {
        opener = b;
    } else if (std::getenv("DISPLAY") != nullptr || std::getenv("WAYLAND_DISPLAY") != nullptr) {
        opener = "xdg-open";
    }
    if (opener.empty()) {
        return;
    }
    // Through the shell so $BROWSER may carry arguments; the URL goes as "$1".
    std::string script = opener + " \"$1\" >/dev/null 2>&1 &";
    const char* argv[] = {"/bin/sh", "-c", script.c_str(), "photosync-open", url.c_str(), nullptr};
    pid_t pid = -1;
    if (::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) == 0) {
        int status = 0;
        ::waitpid(pid, &status, 0);  // the shell returns at once; the browser runs on
    }
}

template <class T>
T run_on(engine::Engine& engine, sdk::awaitable<T> task) {
    return boost::asio::co_spawn(engine.executor(), std::move(task), boost::asio::use_future).get();
}

}  // namespace

int run_auth(const GlobalOptions& global, const AuthOptions& o) {
    auto endpoint = engine::Endpoint::parse(o.to);
    if (!endpoint) {
        std::cerr << "photosync: " << endpoint.error().message << "\n";
        return kExitUsage;
    }
    if (auto applied = apply_plugin_options(global, o.dest_options, *endpoint); !applied) {
        std::cerr << "photosync: " << applied.error().message << "\n";
        return kExitUsage;
    }
    engine::Engine engine(engine_options(global));
    auto auth = engine.authenticator(*endpoint);
    if (!auth) {
        std::cerr << "photosync: " << auth.error().message << "\n";
        return exit_code_for(auth.error());
    }
    switch (o.action) {
        case AuthOptions::Action::login: {
            auto r = run_on(engine, (*auth)->login(sdk::LoginPrompt{open_in_browser}));
            if (!r) {
                std::cerr << "photosync: " << r.error().message << "\n";
                return r.error().kind == sdk::ErrorKind::auth ? kExitAuth
                                                              : exit_code_for(r.error());
            }
            std::cout << *r << "\n";
            return kExitOk;
        }
        case AuthOptions::Action::status: {
            auto r = run_on(engine, (*auth)->status());
            if (!r) {
                std::cerr << "photosync: " << r.error().message << "\n";
                return exit_code_for(r.error());
            }
            std::cout << r->summary << "\n";
            return r->signed_in ? kExitOk : kExitAuth;
        }
        case AuthOptions::Action::logout: {
            auto r = run_on(engine, (*auth)->logout());
            if (!r) {
                std::cerr << "photosync: " << r.error().message << "\n";
                return exit_code_for(r.error());
            }
            std::cout << "signed out\n";
            return kExitOk;
        }
    }
    return kExitUsage;
}

}  // namespace photosync::cli
