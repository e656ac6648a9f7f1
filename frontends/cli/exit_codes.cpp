#include "exit_codes.hpp"

namespace photosync::cli {

int exit_code_for(const sdk::Error& error) {
    switch (error.kind) {
        case sdk::ErrorKind::auth:
            return kExitAuth;
        case sdk::ErrorKind::quota_exhausted:
            return kExitQuota;
        case sdk::ErrorKind::cancelled:
            return kExitInterrupted;
        case sdk::ErrorKind::conflict:  // another run holds the album: nothing ran
        default:
            return kExitUsage;  // nothing ran: the command, config or environment needs fixing
    }
}

int exit_code_for(const engine::JobReport& report) {
    switch (report.state) {
        case engine::JobState::succeeded:
            return kExitOk;
        case engine::JobState::cancelled:
            return kExitInterrupted;
        case engine::JobState::failed: {
            if (!report.error) {
                return kExitItemsFailed;
            }
            int code = exit_code_for(*report.error);
            // A job that started has passed usage checks: anything else is a run failure.
            return code == kExitUsage ? kExitItemsFailed : code;
        }
        default:
            return kExitItemsFailed;
    }
}

}  // namespace photosync::cli
