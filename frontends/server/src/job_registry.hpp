// The server's jobs: each SyncJob started through the API, what was asked,
// the failures seen so far, the transfer rate; finished jobs keep their
// report (the SyncJob itself, with its plugin instances, is let go).
// A watch job ("watch": true) holds a FolderWatch instead: it runs until it
// is cancelled (or its sign-in is revoked), one sync per burst of changes.
// Thread-safe: used from sessions, the ticker and engine threads.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "event_hub.hpp"
#include "photosync/engine/engine.hpp"
#include "photosync/engine/folder_watch.hpp"

namespace photosync::server {

// What the request asked for, as shown back to clients.
struct JobInfo {
    std::string folder;  // absolute
    std::string album;
    std::string destination;  // e.g. "folder:/srv/photos", "gphotos"
    bool dry_run = false;
    std::size_t concurrency = 0;
    std::vector<std::string> include, exclude;
    std::string bwlimit;  // as asked ("2M", a schedule); empty: none of its own
    bool watch = false;
    engine::WatchOptions watch_options;
};

// A watch job's own state, beside the counters of its latest sync.
struct WatchView {
    bool folder_present = true;
    bool syncing = false;
    std::uint64_t syncs = 0;           // syncs finished
    std::uint64_t files_uploaded = 0;  // over all its syncs
    std::string last_message;          // the last folder_lost/back or warning line
    std::optional<engine::JobState> last_sync_state;
    std::optional<sdk::Error> last_sync_error;
    std::chrono::system_clock::time_point last_sync_at{};
};

struct FailureView {
    std::string path;  // display form (UTF-8, \xNN escapes)
    std::string kind;
    std::string message;
    bool scan = false;  // a scan problem rather than an upload failure
};

// A consistent copy of one job, for JSON.
struct JobSnapshot {
    std::uint64_t id = 0;
    JobInfo info;
    engine::JobState state = engine::JobState::pending;
    engine::JobCounters counters;
    bool cancel_requested = false;
    std::chrono::system_clock::time_point created_at, finished_at;
    std::chrono::milliseconds elapsed{0};
    double percent = 0;  // 0..100
    double rate = 0;     // bytes/s (recent, or the average once finished)
    std::optional<double> eta_seconds;
    std::vector<FailureView> failures;  // most recent last, capped
    std::uint64_t failures_total = 0;
    std::optional<sdk::Error> error;  // why the job as a whole failed
    std::string album_id;
    bool album_ready = false;
    std::optional<WatchView> watch;  // watch jobs only
};

class JobRecord {
  public:
    static constexpr std::size_t kMaxFailuresKept = 100;

    JobRecord(std::uint64_t id, JobInfo info);
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    [[nodiscard]] JobSnapshot snapshot() const;
    [[nodiscard]] bool finished() const;
    // The running job, or null once it finished (and for a watch).
    [[nodiscard]] std::shared_ptr<engine::SyncJob> job() const;
    // Blocks until the job (or watch) has ended, at most `timeout`; true if it has.
    bool wait_for(std::chrono::milliseconds timeout) const;

    // Called by the registry.
    void attach(std::shared_ptr<engine::SyncJob> job);
    void attach(std::shared_ptr<engine::FolderWatch> watch);
    // The watch, taken out (null if none or reaped).
    std::shared_ptr<engine::FolderWatch> release_watch();
    void note_watch_event(const engine::WatchEvent& event);
    void note_failure(FailureView failure);
    void note_album_ready();
    void note_finished_event();
    void request_cancel();
    // Samples the counters; true when they changed since the last sample.
    bool sample(std::chrono::steady_clock::time_point now);
    // Keeps the report and lets go of the SyncJob once it has ended; true then.
    bool reap();
    [[nodiscard]] bool finished_event_seen() const;

  private:
    const std::uint64_t id_;
    const JobInfo info_;
    const std::chrono::system_clock::time_point created_at_;
    const std::chrono::steady_clock::time_point started_;

    mutable std::mutex mutex_;
    std::shared_ptr<engine::SyncJob> job_;
    std::shared_ptr<engine::FolderWatch> watch_;
    WatchView watch_view_;
    std::uint64_t watch_changes_ = 0, watch_changes_sampled_ = 0;
    engine::JobCounters last_sync_counters_{};
    std::optional<engine::JobReport> report_;
    std::chrono::system_clock::time_point finished_at_{};
    std::deque<FailureView> failures_;
    std::uint64_t failures_seen_ = 0;
    bool album_ready_ = false;
    bool finished_event_ = false;
    bool cancel_requested_ = false;
    engine::JobCounters last_counters_{};
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> samples_;
};

class JobRegistry {
  public:
    JobRegistry(engine::Engine& engine, std::shared_ptr<EventHub> events, std::size_t max_finished);

    // Starts a job (blocks briefly: opens the ledger), or a watch when
    // info.watch is set. Publishes "job".
    sdk::Result<std::shared_ptr<JobRecord>> start(engine::JobSpec spec, JobInfo info);
    [[nodiscard]] std::vector<std::shared_ptr<JobRecord>> list() const;  // by id
    [[nodiscard]] std::shared_ptr<JobRecord> find(std::uint64_t id) const;
    // Asks a job to stop; false when there is no such job.
    bool cancel(std::uint64_t id);
    void cancel_all();
    // Waits (blocking) until every job has ended or `deadline` passes; true when all ended.
    bool wait_all(std::chrono::steady_clock::time_point deadline);
    // At shutdown, after wait_all and a last tick: the watches not yet
    // reaped, taken from their records (see Server::Impl::unended_watches).
    std::vector<std::shared_ptr<engine::FolderWatch>> release_watches();

    // The ticker's work: rates, "progress" events for jobs whose counters
    // changed, and the final "job" event of those that ended. Returns true
    // when a job has said it finished but its report is not out yet (tick
    // again soon).
    bool tick();

    // Set by the ticker: called when a job says it finished, to tick at once.
    void on_finished(std::function<void()> callback);

  private:
    sdk::Result<std::shared_ptr<JobRecord>> start_watch(engine::JobSpec spec, JobInfo info);
    void publish_job(const std::shared_ptr<JobRecord>& record, const char* type);
    void forget_old_finished();

    engine::Engine& engine_;
    std::shared_ptr<EventHub> events_;
    const std::size_t max_finished_;
    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::shared_ptr<JobRecord>> jobs_;
    // Ids are the server's own: a watch runs many engine jobs under one id.
    std::uint64_t next_id_ = 1;
    std::shared_ptr<std::function<void()>> finished_callback_;
};

}  // namespace photosync::server
