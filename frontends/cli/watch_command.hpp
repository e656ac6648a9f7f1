// photosync watch FOLDER ALBUM: uploads new files as they appear (inotify),
// each once it has been quiet for --settle, through the same sync job as
// `photosync sync` (ledger, album lock, resume).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "commands.hpp"

namespace photosync::cli {

// watch: the shared folder-job flags (folder_job.hpp) and watch's own.
struct WatchCliOptions : FolderJobOptions {
    double settle = 2.0;  // seconds a file must be quiet before it is sent
    double poll = 1.0;    // seconds between looks for a vanished folder
    CLI::Option* settle_flag = nullptr;
};
void setup_watch(CLI::App& app, WatchCliOptions& options);
int run_watch(const GlobalOptions& global, const WatchCliOptions& options);

}  // namespace photosync::cli
