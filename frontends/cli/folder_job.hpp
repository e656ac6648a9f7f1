// What `sync` and `watch` share: a folder into an album, through a source and
// a destination plugin. One place declares their common flags, resolves them
// over the config file, and turns them into the engine's endpoints.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "job_layers.hpp"
#include "photosync/engine/engine.hpp"

namespace photosync::cli {

struct GlobalOptions;

struct FolderJobOptions {
    std::string job;  // --job NAME from the config file
    std::string folder;
    std::string album;
    std::string from = "local";
    std::string to = "gphotos";
    std::size_t jobs = 0;
    std::string bwlimit;  // --bwlimit: a rate or a schedule (engine/bandwidth.hpp); empty: none
    bool json = false;
    std::vector<std::string> dest_options;    // -o KEY=VALUE
    std::vector<std::string> source_options;  // --source-option KEY=VALUE
    std::vector<std::string> include, exclude;
    // Which flags were given (they win over the config file).
    CLI::Option *to_flag = nullptr, *from_flag = nullptr, *jobs_flag = nullptr,
                *include_flag = nullptr, *exclude_flag = nullptr, *bwlimit_flag = nullptr;
};

// The help lines that differ between the commands.
struct FolderJobHelp {
    std::string folder;  // FOLDER
    std::string job;     // --job
    std::string from;    // --from
    std::string json;    // --json
};

// FOLDER ALBUM --job --to --from -o --source-option --include --exclude
// --bwlimit --json -j.
void add_folder_job_flags(CLI::App& app, FolderJobOptions& o, const FolderJobHelp& help);

// Flags win over [jobs.NAME], which wins over [defaults], for the shared
// settings (FOLDER and ALBUM included). The layers are returned for the
// command's own settings.
sdk::Result<JobLayers> resolve_folder_job(const GlobalOptions& global, FolderJobOptions& o);

struct FolderJobEndpoints {
    engine::Endpoint source, destination;
};

// --from reading `folder` and --to, each with the config's [plugins.NAME]
// options, then the flags' (which win). Errors are usage errors.
sdk::Result<FolderJobEndpoints> folder_job_endpoints(
    const GlobalOptions& global, const FolderJobOptions& o, const std::string& folder,
    const std::vector<std::string>& extra_source_options = {});

}  // namespace photosync::cli
