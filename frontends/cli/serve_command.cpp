// photosync serve [--listen 127.0.0.1:8080] [--allow-root DIR ...] [--bwlimit RATE]: the HTTP/REST
// server and web page (frontends/server, docs/server-api.md) until SIGINT/SIGTERM.
#include <unistd.h>

#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <future>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "photosync/server/server.hpp"

namespace photosync::cli {

void setup_serve(CLI::App& app, ServeOptions& o) {
    app.add_option("--listen", o.listen,
                   "ADDRESS:PORT to listen on; loopback unless told otherwise (0.0.0.0:PORT: "
                   "every interface; PORT 0: any free port)")
        ->capture_default_str();
    app.add_option("--allow-root", o.allow_roots,
                   "a folder the server may read and write under (repeatable; default: $HOME)")
        ->check(CLI::ExistingDirectory);
    app.add_option("--to", o.to,
                   "destination when a request names none (default: the config's, "
                   "else gphotos)");
    app.add_option("--bwlimit", o.bwlimit,
                   "limit upload bandwidth, every job's uploads together: RATE (e.g. 512k, 2M; "
                   "off) or a schedule by local time, e.g. \"08:00,512k 23:00,off\" (default: "
                   "the config's [defaults] bwlimit); a job's own bwlimit applies within it")
        ->type_name("RATE");
}

int run_serve(const GlobalOptions& global, const ServeOptions& o) {
    server::ServerOptions options;
    if (auto parsed = server::parse_listen(o.listen, options); !parsed) {
        std::cerr << "photosync: " << parsed.error().message << "\n";
        return kExitUsage;
    }
    for (const auto& root : o.allow_roots) {
        options.allowed_roots.emplace_back(root);
    }
    const auto& defaults = global.config.defaults;
    options.default_destination = !o.to.empty() ? o.to : defaults.to.value_or("gphotos");
    options.default_concurrency = defaults.jobs.value_or(0);
    options.plugin_options = global.config.plugin_options;

    auto eopts = engine_options(global, o.bwlimit);
    if (!eopts) {
        std::cerr << "photosync: " << eopts.error().message << "\n";
        return kExitUsage;
    }
    engine::Engine engine(std::move(*eopts));
    auto server = server::Server::start(engine, options);
    if (!server) {
        std::cerr << "photosync: " << server.error().message << "\n";
        return exit_code_for(server.error());
    }
    // The one place the token is shown (stdout, never the log): the user opens this URL.
    std::cout << "photosync serve: listening on " << (*server)->url() << "\n"
              << "photosync serve: open " << (*server)->url_with_token() << "\n"
              << "photosync serve: access token "
              << ((*server)->token_created() ? "created in " : "read from ")
              << (*server)->token_file().string() << "; folders allowed under";
    for (const auto& root : (*server)->allowed_roots()) {
        std::cout << " " << root.string();
    }
    std::cout << std::endl;

    std::promise<int> stop;
    auto stopped = stop.get_future();
    std::atomic<int> signals_seen{0};
    boost::asio::signal_set signals(engine.executor(), SIGINT, SIGTERM);
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int signo) {
            if (ec) {
                return;
            }
            if (signals_seen.fetch_add(1) == 0) {
                stop.set_value(signo);
                signals.async_wait(on_signal);  // a second one quits at once
            } else {
                ::_exit(kExitInterrupted);
            }
        };
    signals.async_wait(on_signal);
    int signo = stopped.get();
    std::cout << "photosync serve: " << (signo == SIGTERM ? "SIGTERM" : "interrupted")
              << ": stopping (running jobs are cancelled; Ctrl-C again quits at once)" << std::endl;
    (*server)->shutdown(std::chrono::seconds(10));
    boost::system::error_code ignored;
    signals.cancel(ignored);
    server->reset();
    std::cout << "photosync serve: stopped" << std::endl;
    return kExitOk;
}

}  // namespace photosync::cli
