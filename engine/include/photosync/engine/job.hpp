// A sync job: what to sync, how it goes, and how it ended.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "photosync/engine/bandwidth.hpp"
#include "photosync/engine/endpoint.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::engine {

struct JobSpec {
    Endpoint source;       // e.g. local:/home/ana/Pictures/Trip
    Endpoint destination;  // e.g. gphotos, folder:/srv/photos
    std::string album;     // container title
    // Items staged at once; 0 picks the default (kDefaultConcurrency).
    std::size_t concurrency = 0;
    // Only look: report what would be uploaded; no album is created, nothing
    // is staged, committed or recorded.
    bool dry_run = false;
    // Glob patterns (fnmatch). A pattern without '/' matches the file name,
    // one with '/' the path relative to the source root. Exclude wins.
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    // This job's own bandwidth limit, on top of the engine's (which every
    // job shares); unset: only the engine's.
    std::optional<BandwidthSchedule> bwlimit;
    // After upload (the source must offer sdk::SourceItemActions; `local`
    // does). Each item is moved to the same relative path under move_to once
    // its commit is recorded in the ledger, or deleted once it is also in the
    // album's listing. Never on an upload's success alone; never both.
    std::string move_to;  // empty: leave items where they are
    bool delete_after_upload = false;
    // Count what the run will upload ahead of its uploads (a second listing
    // of the source, once the run has gone a second), so that a cost can be
    // estimated near the start of a big run: JobCounters::census_*.
    bool census = false;
};

inline constexpr std::size_t kDefaultConcurrency = 8;
inline constexpr std::size_t kMaxConcurrency = 64;

enum class JobState : std::uint8_t {
    pending,
    running,
    succeeded,         // every item is at the destination
    partially_failed,  // the job ran to the end, some items failed
    failed,            // the job could not run (no album, source gone, auth...)
    cancelled,
};

[[nodiscard]] std::string_view to_string(JobState state) noexcept;
[[nodiscard]] inline bool is_final(JobState s) noexcept {
    return s != JobState::pending && s != JobState::running;
}

// Counters, as a consistent snapshot.
struct JobCounters {
    std::uint64_t files_found = 0;  // media items listed so far
    std::uint64_t bytes_found = 0;
    std::uint64_t files_staged = 0;  // uploaded (staged), committed or not yet
    std::uint64_t files_done = 0;    // committed at the destination
    std::uint64_t bytes_done = 0;    // bytes staged (including items not yet committed)
    std::uint64_t files_failed = 0;
    // Already at the destination: unchanged since the last run (same size and
    // mtime in the ledger), or the same content under another name.
    std::uint64_t files_unchanged = 0;
    std::uint64_t files_moved = 0;    // --move-to: moved once committed
    std::uint64_t files_deleted = 0;  // --delete-after-upload: deleted once listed in the album
    bool scan_complete = false;
    // JobSpec::census: files and bytes the run will upload (as files_found
    // and bytes_found will be once the scan is complete), final once
    // census_complete.
    std::uint64_t census_files = 0;
    std::uint64_t census_bytes = 0;
    bool census_complete = false;
};

struct ItemFailure {
    std::string path;  // relative to the source root, raw bytes
    sdk::Error error;
};

struct JobReport {
    JobState state = JobState::pending;
    JobCounters counters;
    std::vector<ItemFailure> failures;  // per-item problems (capped, see failures_total)
    std::uint64_t failures_total = 0;
    std::optional<sdk::Error> error;  // why the job as a whole failed
    sdk::Container container;
    std::chrono::milliseconds elapsed{0};
};

struct JobEvent {
    enum class Type : std::uint8_t {
        container_ready,  // message: container title
        item_staged,      // path, bytes
        item_committed,   // path, bytes
        item_failed,      // path, error
        scan_problem,     // path, error
        planned,          // dry run: path, bytes would be uploaded
        scan_complete,
        finished,      // state
        item_moved,    // path, bytes: moved under JobSpec::move_to after its commit
        item_deleted,  // path, bytes: deleted after the album listing showed it
    };
    Type type;
    std::string path;
    std::uint64_t bytes = 0;
    std::optional<sdk::Error> error;
    JobState state = JobState::running;
};

// Receives a job's events on the engine's threads. Must be quick and must not
// block; it may be called from several threads, never concurrently for one job.
class JobObserver {
  public:
    virtual ~JobObserver() = default;
    virtual void on_event(const JobEvent& event) noexcept = 0;
};

}  // namespace photosync::engine
