// Watch mode: a local folder watched with inotify; each change, once quiet,
// runs an incremental sync job of the whole folder through the engine (so the
// ledger, the album lock and resume all apply, and unchanged files cost no
// network). Survives the folder vanishing and coming back (a NAS share
// unmounted and remounted): it polls for it, re-adds its watches and catches up.
// Linux only (inotify); the source must be the `local` plugin.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "photosync/engine/engine.hpp"
#include "photosync/engine/job.hpp"

namespace photosync::engine {

struct WatchOptions {
    // A changed file is synced once nothing has touched it for this long, so a
    // file still being written is never sent half-done. The local source is
    // also told to leave out files modified more recently than this.
    std::chrono::milliseconds settle{2000};
    // How often a vanished folder is looked for, and how often the watched
    // folder is checked to be the same one (a share mounted over it).
    std::chrono::milliseconds poll{1000};
    // After a sync that did not fully succeed (network, quota, busy album):
    // when to try again, unless the error names its own delay.
    std::chrono::milliseconds retry{60000};
};

struct WatchEvent {
    enum class Type : std::uint8_t {
        watching,       // watches in place: count = folders watched
        sync_started,   // count = paths changed since the last sync (0: a catch-up)
        sync_finished,  // report; or error if the job could not start
        folder_lost,    // message: one line saying what happened
        folder_back,    // message: one line
        warning,        // message: one line (e.g. the inotify watch limit)
    };
    Type type = Type::watching;
    std::string message;
    std::uint64_t count = 0;
    std::optional<JobReport> report;
    std::optional<sdk::Error> error;
};

// Receives a watch's events on its own thread. Must be quick.
class WatchObserver {
  public:
    virtual ~WatchObserver() = default;
    virtual void on_watch_event(const WatchEvent& event) noexcept = 0;
};

struct WatchResult {
    // stop() was called while a sync job ran, and that job was cancelled.
    bool interrupted_sync = false;
    // Why the watch ended on its own (e.g. the sign-in was revoked); none when stopped.
    std::optional<sdk::Error> error;
    std::uint64_t syncs = 0;
    std::uint64_t files_uploaded = 0;
};

// A running watch. Thread-safe.
class FolderWatch {
  public:
    virtual ~FolderWatch() = default;
    // Stops watching; a sync job in flight is cancelled cleanly. Idempotent.
    virtual void stop() noexcept = 0;
    // Blocks until the watch ends. Never call it from the engine's threads.
    virtual WatchResult wait() = 0;
    virtual std::optional<WatchResult> wait_for(std::chrono::milliseconds timeout) = 0;
    // The counters of the sync running now; none between syncs.
    [[nodiscard]] virtual std::optional<JobCounters> current_counters() const = 0;
};

// Starts watching spec.source's folder; every sync runs `spec` (its source
// gets the settle_ms option). `job_observer` receives each job's events.
// Errors (not the local source, folder missing, no inotify) come back at once.
sdk::Result<std::shared_ptr<FolderWatch>> watch_folder(
    Engine& engine, JobSpec spec, WatchOptions options, std::shared_ptr<WatchObserver> observer,
    std::shared_ptr<JobObserver> job_observer = nullptr);

}  // namespace photosync::engine
