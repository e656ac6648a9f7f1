// What a run will cost in Google Photos API requests, and how many days of
// the daily budget that is: "12,400 files to upload ≈ 12,650 requests ≈ 2 days
// at 10,000 requests/day". Pure arithmetic (no I/O), tested on its own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace photosync::cli {

// Calls a run makes whatever it uploads: finding the album (albums.list, or
// albums.get once the ledger knows its id) and creating it.
inline constexpr std::uint64_t kPlanFixedCalls = 2;
inline constexpr std::uint64_t kPlanBatchSize = 50;  // items per batchCreate

struct RequestPlan {
    std::uint64_t files = 0;     // to upload
    std::uint64_t requests = 0;  // uploads + batchCreate calls + fixed calls
    std::uint64_t days = 0;      // whole days at per_day (0 when there is no daily budget)
    std::uint64_t per_day = 0;   // the daily budget (0: none)
};

// One upload request per file, one more for each of the `large_files` at or
// above the resumable threshold (a session is started, then the bytes sent).
[[nodiscard]] RequestPlan plan_requests(std::uint64_t files, std::uint64_t large_files,
                                        std::uint64_t per_day);

// When only the total size is known (a real run's counters): as many large
// files as could be that large, bytes / threshold and at most `files`. An
// upper bound; a dry run counts them one by one instead.
[[nodiscard]] std::uint64_t large_files_at_most(std::uint64_t files, std::uint64_t bytes,
                                                std::uint64_t resumable_threshold);

// "12,400 files to upload ≈ 12,650 requests ≈ 2 days at 10,000 requests/day"
[[nodiscard]] std::string plan_line(const RequestPlan& plan);

// Said before a big run: when it needs more than half of a day's budget
// (or always, verbose).
[[nodiscard]] bool plan_worth_saying(const RequestPlan& plan, bool verbose);

// What the plan needs from the destination's options (defaults where unset).
// Only Google Photos has a request quota: nullopt for other destinations.
struct PlanSettings {
    std::uint64_t per_day = 10000;                            // max_requests_per_day
    std::uint64_t resumable_threshold = 20ULL * 1024 * 1024;  // resumable_threshold
};
[[nodiscard]] std::optional<PlanSettings> plan_settings(
    std::string_view plugin, const std::map<std::string, std::string, std::less<>>& options);

// 12400 -> "12,400"
[[nodiscard]] std::string with_thousands(std::uint64_t n);

}  // namespace photosync::cli
