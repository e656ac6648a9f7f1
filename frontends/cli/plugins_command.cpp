// photosync plugins: what was found, what was refused, where we looked.
#include <iostream>

#include "commands.hpp"

namespace photosync::cli {

void setup_plugins(CLI::App&, PluginsOptions&) {}

int run_plugins(const GlobalOptions& global, const PluginsOptions&) {
    engine::Engine engine(engine_options(global));
    const auto& registry = engine.plugins();
    auto plugins = registry.plugins();
    if (plugins.empty()) {
        std::cout << "no plugins found\n";
    }
    for (const auto& p : plugins) {
        std::cout << p.name << "\t" << sdk::to_string(p.kind) << "\t" << p.version << "\t"
                  << p.path.string() << "\n";
        if (global.verbosity > 0) {
            std::cout << "    " << p.description << "\n";
            for (const auto& opt : p.options) {
                std::cout << "    option " << opt.name
                          << (opt.has_default ? " (default " + opt.default_value + ")" : "") << ": "
                          << opt.help << "\n";
            }
        }
    }
    for (const auto& problem : registry.problems()) {
        std::cerr << "photosync: " << problem.message << "\n";
    }
    if (global.verbosity > 0) {
        std::cout << "searched:\n";
        for (const auto& d : registry.searched_dirs()) {
            std::cout << "    " << d.string() << "\n";
        }
    }
    return 0;
}

}  // namespace photosync::cli
