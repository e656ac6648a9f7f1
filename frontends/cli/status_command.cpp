// photosync status [ALBUM]: what the ledger knows (counts, last run, failures).
#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"

namespace photosync::cli {

void setup_status(CLI::App& app, StatusOptions& o) {
    app.add_option("ALBUM", o.album, "only this album (default: all)");
}

namespace {
std::string when(std::int64_t unix_s) {
    if (unix_s == 0) {
        return "never";
    }
    std::time_t t = unix_s;
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}
}  // namespace

int run_status(const GlobalOptions& global, const StatusOptions& o) {
    engine::Engine engine(engine_options(global));
    auto albums = engine.status(o.album);
    if (!albums) {
        std::cerr << "photosync: " << albums.error().message << "\n";
        return exit_code_for(albums.error());
    }
    if (albums->empty()) {
        std::cout << (o.album.empty() ? std::string("nothing synced yet")
                                      : "no album '" + o.album + "' in the ledger")
                  << "\n";
        return o.album.empty() ? kExitOk : kExitUsage;
    }
    for (const auto& a : *albums) {
        std::cout << "'" << a.album << "'  " << a.source << " -> " << a.destination << "\n"
                  << "  in album: " << a.committed << "   pending: " << a.pending
                  << "   failed: " << a.failed << "\n"
                  << "  last run: " << when(a.last_run_started)
                  << (a.last_run_state.empty() ? "" : " (" + a.last_run_state + ")") << "\n";
        for (const auto& f : a.failures) {
            std::cout << "  failed: " << sdk::display_path(f.path) << ": " << f.error.message
                      << "\n";
        }
    }
    return kExitOk;
}

}  // namespace photosync::cli
