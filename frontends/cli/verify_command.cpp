// photosync verify ALBUM [--to DEST]: the ledger against what the destination lists.
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"

namespace photosync::cli {

void setup_verify(CLI::App& app, VerifyOptions& o) {
    app.add_option("ALBUM", o.album, "album to check")->required();
    app.add_option("--to", o.to, "destination: PLUGIN or PLUGIN:LOCATION")->capture_default_str();
    app.add_option("-o,--option", o.dest_options, "destination option KEY=VALUE (repeatable)");
}

int run_verify(const GlobalOptions& global, const VerifyOptions& o) {
    auto destination = engine::Endpoint::parse(o.to);
    if (!destination) {
        std::cerr << "photosync: " << destination.error().message << "\n";
        return kExitUsage;
    }
    if (auto applied = apply_plugin_options(global, o.dest_options, *destination); !applied) {
        std::cerr << "photosync: " << applied.error().message << "\n";
        return kExitUsage;
    }
    engine::Engine engine(engine_options(global));
    auto report = engine.verify(*destination, o.album);
    if (!report) {
        std::cerr << "photosync: " << report.error().message << "\n";
        return exit_code_for(report.error());
    }
    for (const auto& m : report->missing) {
        std::cout << "missing: " << sdk::display_path(m) << "\n";
    }
    for (const auto& e : report->extra) {
        std::cout << "extra: " << sdk::display_path(e) << "\n";
    }
    bool ok = report->missing.empty();
    std::cout << (ok ? "ok" : "MISSING ITEMS") << ": " << report->present << " items in '"
              << o.album << "' as recorded; " << report->missing.size() << " missing, "
              << report->extra.size() << " not from this ledger\n";
    return ok ? kExitOk : kExitItemsFailed;
}

}  // namespace photosync::cli
