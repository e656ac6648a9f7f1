// photosync watch FOLDER ALBUM: uploads new files as they appear (inotify),
// each once it has been quiet for --settle, through the same sync job as
// `photosync sync` (ledger, album lock, resume).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "commands.hpp"

namespace photosync::cli {

struct WatchCliOptions {
    std::string job;  // --job NAME from the config file
    std::string folder;
    std::string album;
    std::string from = "local";
    std::string to = "gphotos";
    std::size_t jobs = 0;
    bool json = false;
    double settle = 2.0;  // seconds a file must be quiet before it is sent
    double poll = 1.0;    // seconds between looks for a vanished folder
    CLI::Option *to_flag = nullptr, *from_flag = nullptr, *jobs_flag = nullptr,
                *include_flag = nullptr, *exclude_flag = nullptr, *settle_flag = nullptr;
    std::vector<std::string> dest_options;
    std::vector<std::string> source_options;
    std::vector<std::string> include, exclude;
};
void setup_watch(CLI::App& app, WatchCliOptions& options);
int run_watch(const GlobalOptions& global, const WatchCliOptions& options);

}  // namespace photosync::cli
