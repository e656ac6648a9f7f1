// The CLI's subcommands: each is an options struct, a setup_X that declares
// its flags on a CLI11 app, and a run_X that does the work (CLI11's
// subcommands-in-files layout).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "config_file.hpp"
#include "folder_job.hpp"
#include "photosync/engine/engine.hpp"

namespace photosync::cli {

struct GlobalOptions {
    std::vector<std::filesystem::path> plugin_dirs;
    int verbosity = 0;     // -q: -1, -v: 1, -vv: 2
    std::string log_file;  // --log-file, else the config's
    Config config;         // --config FILE, else the default file if present
};

// Builds the engine every command uses, logging through spdlog.
engine::EngineOptions engine_options(const GlobalOptions& global);
// The same, with `bwlimit` (a --bwlimit flag's text; empty: none given) as
// the one limit every upload of the process shares, in place of the
// config's [defaults] bwlimit. A bad value is invalid_input.
sdk::Result<engine::EngineOptions> engine_options(const GlobalOptions& global,
                                                  const std::string& bwlimit);

// The config's [plugins.NAME] options, then "-o KEY=VALUE" flags (which win),
// into an endpoint's options; a malformed flag is a usage error.
sdk::Result<void> apply_plugin_options(const GlobalOptions& global,
                                       const std::vector<std::string>& flags,
                                       engine::Endpoint& endpoint);

// sync: the shared folder-job flags (folder_job.hpp) and sync's own.
struct SyncOptions : FolderJobOptions {
    bool album_per_folder = false;  // ALBUM is then a template: {folder}, {parent}
    // After upload: move each committed file under move_to, or delete it once
    // the album's listing shows it.
    std::string move_to;
    bool delete_after_upload = false;
    CLI::Option *move_to_flag = nullptr, *delete_flag = nullptr;
    bool dry_run = false;
    // --max-requests-per-day N: the gphotos option max_requests_per_day.
    std::optional<std::uint64_t> max_requests_per_day;
};
void setup_sync(CLI::App& app, SyncOptions& options);
int run_sync(const GlobalOptions& global, const SyncOptions& options);

struct AuthOptions {
    std::string to = "gphotos";
    std::vector<std::string> dest_options;
    enum class Action { login, status, logout } action = Action::status;
};
void setup_auth(CLI::App& app, AuthOptions& options);
int run_auth(const GlobalOptions& global, const AuthOptions& options);

struct StatusOptions {
    std::string album;  // empty: every album
};
void setup_status(CLI::App& app, StatusOptions& options);
int run_status(const GlobalOptions& global, const StatusOptions& options);

struct VerifyOptions {
    std::string folder;
    std::string album;
    std::string from = "local";
    std::string to = "gphotos";
    std::vector<std::string> dest_options;
};
void setup_verify(CLI::App& app, VerifyOptions& options);
int run_verify(const GlobalOptions& global, const VerifyOptions& options);

struct ServeOptions {
    std::string listen = "127.0.0.1:8080";
    std::vector<std::string> allow_roots;  // empty: $HOME
    std::string to;                        // default destination (else config, else gphotos)
    std::string bwlimit;  // one limit for every job's uploads (else the config's [defaults])
};
void setup_serve(CLI::App& app, ServeOptions& options);
int run_serve(const GlobalOptions& global, const ServeOptions& options);

struct PluginsOptions {};
void setup_plugins(CLI::App& app, PluginsOptions& options);
int run_plugins(const GlobalOptions& global, const PluginsOptions& options);

}  // namespace photosync::cli
