// photosync-conformance --plugin NAME|PATH [--location LOC] [-o KEY=VALUE]...
//
// Loads one plugin through the engine's registry (the same checks as
// photosync itself) and runs the suite for its kind. Catch2's own flags
// (-s, -r junit, test names...) work too.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <iostream>

#include "harness.hpp"

int main(int argc, char** argv) {
    using namespace photosync::conformance;
    Catch::Session session;
    Settings settings;
    std::vector<std::string> plugin_dirs;
    std::string state_dir;
    using Catch::clara::Opt;
    auto cli =
        session.cli() |
        Opt(settings.plugin, "NAME|PATH")["--plugin"]("the plugin under test (required)") |
        Opt(plugin_dirs, "DIR")["--plugin-dir"]("where to look for plugins by name") |
        Opt(settings.location, "LOCATION")["--location"]("the plugin's location (after ':')") |
        Opt(settings.options, "KEY=VALUE")["--option"]("a plugin option (repeatable)") |
        Opt(state_dir, "DIR")["--state-dir"]("the plugin's state dir (credentials)") |
        Opt(settings.large_mb, "MB")["--large-mb"]("size of the constant-memory item (256)");
    session.cli(cli);
    if (int rc = session.applyCommandLine(argc, argv); rc != 0) {
        return rc;
    }
    if (settings.plugin.empty()) {
        std::cerr << "photosync-conformance: --plugin NAME|PATH is required\n";
        return 2;
    }
    settings.plugin_dirs.assign(plugin_dirs.begin(), plugin_dirs.end());
    settings.state_dir =
        state_dir.empty() ? std::filesystem::temp_directory_path() / "photosync-conformance-state"
                          : std::filesystem::path(state_dir);
    try {
        Harness harness(settings);
        set_harness(&harness);
        bool source = harness.descriptor().kind == photosync::sdk::PluginKind::source;
        std::cout << "conformance: " << harness.descriptor().name << " "
                  << harness.descriptor().version << " (" << (source ? "source" : "destination")
                  << ") from " << harness.descriptor().path.string() << "\n";
        if (session.configData().testsOrTags.empty()) {
            session.configData().testsOrTags.push_back(source ? "[source]" : "[destination]");
        }
        int failed = session.run();
        set_harness(nullptr);
        return failed == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "photosync-conformance: " << e.what() << "\n";
        return 2;
    }
}
