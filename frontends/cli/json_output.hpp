// --json: one JSON object per line on stdout (events, progress, summary), for
// scripts. Paths that are not UTF-8 are escaped as in messages (\xNN).
#pragma once

#include <string>

#include "photosync/engine/job.hpp"

namespace photosync::cli {

[[nodiscard]] std::string event_json(const engine::JobEvent& event);
[[nodiscard]] std::string progress_json(const engine::JobCounters& counters);
[[nodiscard]] std::string summary_json(const engine::JobReport& report, const std::string& album,
                                       bool dry_run);

}  // namespace photosync::cli
