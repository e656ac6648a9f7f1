// The CLI's subcommands: each is an options struct, a setup_X that declares
// its flags on a CLI11 app, and a run_X that does the work (CLI11's
// subcommands-in-files layout).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "photosync/engine/engine.hpp"

namespace photosync::cli {

struct GlobalOptions {
    std::vector<std::filesystem::path> plugin_dirs;
    int verbosity = 0;  // -q: -1, -v: 1, -vv: 2
};

// Builds the engine every command uses, logging through spdlog.
engine::EngineOptions engine_options(const GlobalOptions& global);

struct SyncOptions {
    std::string folder;
    std::string album;
    std::string from = "local";
    std::string to = "gphotos";
    std::size_t jobs = 0;
};
void setup_sync(CLI::App& app, SyncOptions& options);
int run_sync(const GlobalOptions& global, const SyncOptions& options);

struct PluginsOptions {};
void setup_plugins(CLI::App& app, PluginsOptions& options);
int run_plugins(const GlobalOptions& global, const PluginsOptions& options);

}  // namespace photosync::cli
