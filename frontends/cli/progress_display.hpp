// Shows a job's progress: a redrawn bar on a terminal, plain periodic lines
// otherwise (cron logs, pipes), and the summary at the end.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "photosync/engine/job.hpp"

namespace photosync::cli {

class ProgressDisplay {
  public:
    ProgressDisplay(std::FILE* out, bool terminal, bool quiet);

    // Called often; draws at most every 100 ms (terminal) or 10 s (plain).
    void update(const engine::JobCounters& counters);
    // Draws the final state and ends the line, so the summary starts clean.
    void finish(const engine::JobCounters& counters);

  private:
    std::string line(const engine::JobCounters& c, double seconds) const;

    std::FILE* out_;
    bool terminal_;
    bool quiet_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_{};
};

// "1.5 MB", "320 KB", "12 B"
[[nodiscard]] std::string human_bytes(std::uint64_t bytes);

// The end-of-run summary (uploaded, failed with reasons, time), for stdout.
[[nodiscard]] std::string summary(const engine::JobReport& report, const std::string& album);

}  // namespace photosync::cli
