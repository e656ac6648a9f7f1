// photosync: sync folders of photos and videos into Google Photos albums.
#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "photosync/sdk/plugin.hpp"
#include "spdlog_sink.hpp"
#include "watch_command.hpp"

namespace photosync::cli {

sdk::Result<void> apply_plugin_options(const GlobalOptions& global,
                                       const std::vector<std::string>& flags,
                                       engine::Endpoint& endpoint) {
    if (auto it = global.config.plugin_options.find(endpoint.plugin);
        it != global.config.plugin_options.end()) {
        for (const auto& [k, v] : it->second) {
            endpoint.config.options.insert_or_assign(k, v);
        }
    }
    for (const auto& flag : flags) {
        auto eq = flag.find('=');
        if (eq == std::string::npos || eq == 0) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "option '" + flag + "' is not KEY=VALUE");
        }
        endpoint.config.options.insert_or_assign(flag.substr(0, eq), flag.substr(eq + 1));
    }
    return {};
}

engine::EngineOptions engine_options(const GlobalOptions& global) {
    engine::EngineOptions o;
    o.plugin_dirs = global.plugin_dirs;
    o.log = std::make_shared<SpdlogSink>(make_logger(global.verbosity, global.log_file));
    // The config's [defaults] bwlimit (checked when the file was read) holds
    // every upload of this process: `serve` and `watch` share it among their
    // jobs; `sync --bwlimit` or a [jobs.NAME] bwlimit replaces it.
    if (const auto& limit = global.config.defaults.bwlimit) {
        if (auto schedule = engine::parse_bandwidth(*limit)) {
            o.bandwidth = std::move(*schedule);
        }
    }
    return o;
}

sdk::Result<engine::EngineOptions> engine_options(const GlobalOptions& global,
                                                  const std::string& bwlimit) {
    auto o = engine_options(global);
    if (!bwlimit.empty()) {
        auto schedule = engine::parse_bandwidth(bwlimit);
        if (!schedule) {
            return std::unexpected(schedule.error());
        }
        o.bandwidth = std::move(*schedule);
    }
    return o;
}

}  // namespace photosync::cli

int main(int argc, char** argv) {
    using namespace photosync::cli;
    CLI::App app{"photosync: sync folders of photos and videos into Google Photos albums"};
    app.set_version_flag("--version", std::string("photosync ") + PHOTOSYNC_VERSION +
                                          " (plugin SDK ABI " +
                                          std::to_string(PHOTOSYNC_SDK_ABI_VERSION) + ")");
    app.require_subcommand(1);
    app.fallthrough();  // global flags may also follow the subcommand

    GlobalOptions global;
    int verbose = 0;
    bool quiet = false;
    app.add_option("--plugin-dir", global.plugin_dirs, "also look for plugins here (first)")
        ->check(CLI::ExistingDirectory);
    app.add_flag("-v,--verbose", verbose, "more detail (-vv: debug)");
    app.add_flag("-q,--quiet", quiet, "only errors and the exit code");
    std::string config_file;
    app.add_option("--config", config_file,
                   "config file (default: $XDG_CONFIG_HOME/photosync/config.toml if it exists)");
    app.add_option("--log-file", global.log_file, "also write a detailed log here");

    SyncOptions sync;
    auto* sync_cmd =
        app.add_subcommand("sync", "upload a folder's photos and videos into an album");
    setup_sync(*sync_cmd, sync);

    WatchCliOptions watch;
    auto* watch_cmd = app.add_subcommand(
        "watch", "upload new photos and videos as they appear in a folder (until Ctrl-C)");
    setup_watch(*watch_cmd, watch);

    AuthOptions auth;
    auto* auth_cmd = app.add_subcommand("auth", "sign in to a destination (Google Photos)");
    setup_auth(*auth_cmd, auth);

    StatusOptions status;
    auto* status_cmd = app.add_subcommand("status", "what the ledger knows about your albums");
    setup_status(*status_cmd, status);

    VerifyOptions verify;
    auto* verify_cmd =
        app.add_subcommand("verify", "compare an album with the ledger: missing or extra items");
    setup_verify(*verify_cmd, verify);

    ServeOptions serve;
    auto* serve_cmd =
        app.add_subcommand("serve", "run the web page and REST API (photosync serve)");
    setup_serve(*serve_cmd, serve);

    PluginsOptions plugins;
    auto* plugins_cmd = app.add_subcommand("plugins", "list the plugins found and where");
    setup_plugins(*plugins_cmd, plugins);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    global.verbosity = quiet ? -1 : verbose;
    auto config = load_config(
        config_file.empty() ? default_config_path() : std::filesystem::path(config_file),
        !config_file.empty());
    if (!config) {
        std::cerr << "photosync: " << config.error().message << "\n";
        return kExitUsage;
    }
    global.config = std::move(*config);
    if (global.log_file.empty() && global.config.defaults.log_file) {
        global.log_file = *global.config.defaults.log_file;
    }

    try {
        if (sync_cmd->parsed()) {
            return run_sync(global, sync);
        }
        if (watch_cmd->parsed()) {
            return run_watch(global, watch);
        }
        if (auth_cmd->parsed()) {
            return run_auth(global, auth);
        }
        if (status_cmd->parsed()) {
            return run_status(global, status);
        }
        if (verify_cmd->parsed()) {
            return run_verify(global, verify);
        }
        if (serve_cmd->parsed()) {
            return run_serve(global, serve);
        }
        if (plugins_cmd->parsed()) {
            return run_plugins(global, plugins);
        }
    } catch (const std::exception& e) {
        std::cerr << "photosync: internal error: " << e.what() << "\n";
        return kExitItemsFailed;
    }
    return kExitUsage;
}
