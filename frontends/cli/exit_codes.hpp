// The CLI's exit codes (documented in docs/usage.md); scripts and cron rely on them.
#pragma once

#include "photosync/engine/job.hpp"

namespace photosync::cli {

enum ExitCode : int {
    kExitOk = 0,           // everything is at the destination
    kExitItemsFailed = 1,  // the run ended; some items failed (the summary says which)
    kExitUsage = 2,        // bad command line, config, or input folder
    kExitAuth = 3,         // credentials missing or revoked: run 'photosync auth login'
    kExitQuota = 4,        // quota reached: run again later, nothing is lost
    kExitInterrupted = 130,
};

// The exit code for a job that ended with `report`.
[[nodiscard]] int exit_code_for(const engine::JobReport& report);

// The exit code for an error that stopped a command before any job ran.
[[nodiscard]] int exit_code_for(const sdk::Error& error);

}  // namespace photosync::cli
