// The photosync engine: one shared executor, the loaded plugins, and the sync
// jobs that run on them. Every front end (CLI, server, embedding programs)
// uses exactly this.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <memory>
#include <vector>

#include "photosync/engine/bandwidth.hpp"
#include "photosync/engine/job.hpp"
#include "photosync/engine/plugin_registry.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/log.hpp"

namespace photosync::engine {

struct EngineOptions {
    std::vector<std::filesystem::path> plugin_dirs;  // searched first
    bool standard_plugin_dirs = true;                // then the standard search path
    unsigned io_threads = 0;                         // 0: one per core, at most 4
    unsigned blocking_threads = 4;                   // for blocking file I/O
    std::filesystem::path state_dir;                 // empty: $XDG_STATE_HOME/photosync
    std::shared_ptr<sdk::LogSink> log;               // null: warnings and errors to stderr
    // One limit for every upload of every job of this engine (rclone's
    // --bwlimit); empty: none. See bandwidth.hpp.
    BandwidthSchedule bandwidth;
};

class SyncJob;

// What the ledger knows about one (source, destination, album).
struct AlbumStatus {
    std::string source, destination, album, album_id;
    std::uint64_t committed = 0, pending = 0, failed = 0;      // pending: staged or committing
    std::string last_run_state;                                // empty: never run
    std::int64_t last_run_started = 0, last_run_finished = 0;  // unix seconds
    std::vector<ItemFailure> failures;                         // most recent first, capped
};

// The ledger compared with what the destination lists.
struct VerifyReport {
    std::string album_id;
    std::uint64_t present = 0;         // committed in the ledger and listed
    std::vector<std::string> missing;  // committed in the ledger, not listed (paths)
    std::vector<std::string> extra;    // listed, unknown to the ledger (remote names)
};

class Engine {
  public:
    explicit Engine(EngineOptions options = {});
    ~Engine();  // cancels running jobs and joins the threads
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    [[nodiscard]] const PluginRegistry& plugins() const noexcept;
    [[nodiscard]] boost::asio::any_io_executor executor() const;
    [[nodiscard]] const std::filesystem::path& state_dir() const noexcept;
    [[nodiscard]] sdk::LogSink& log() const noexcept;

    // Creates the job's plugin instances and starts it. Errors (unknown plugin,
    // wrong plugin kind, bad location) come back before anything runs.
    sdk::Result<std::shared_ptr<SyncJob>> start(JobSpec spec,
                                                std::shared_ptr<JobObserver> observer = nullptr);

    // The ledger's view of every album (or of those titled `album`).
    sdk::Result<std::vector<AlbumStatus>> status(std::string_view album = {});

    // Lists `album` at `destination` and compares it with the ledger. Blocks:
    // never call it from the engine's own threads.
    sdk::Result<VerifyReport> verify(const Endpoint& destination, const std::string& album);

    // The sign-in capability of the plugin `endpoint` names (`photosync auth`).
    // Its awaitables run on executor().
    sdk::Result<std::shared_ptr<sdk::Authenticator>> authenticator(const Endpoint& endpoint);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A running or finished job. Thread-safe.
class SyncJob {
  public:
    virtual ~SyncJob() = default;
    [[nodiscard]] virtual std::uint64_t id() const noexcept = 0;
    [[nodiscard]] virtual const JobSpec& spec() const noexcept = 0;
    [[nodiscard]] virtual JobState state() const noexcept = 0;
    [[nodiscard]] virtual JobCounters counters() const noexcept = 0;
    // Asks the job to stop; in-flight items are abandoned cleanly (nothing
    // half-written becomes visible). Idempotent.
    virtual void cancel() noexcept = 0;
    // Blocks until the job ends. Never call it from the engine's own threads.
    virtual JobReport wait() = 0;
    // Blocks until the job ends or `timeout` passes; the report if it ended.
    virtual std::optional<JobReport> wait_for(std::chrono::milliseconds timeout) = 0;
    // The report if the job has ended.
    [[nodiscard]] virtual std::optional<JobReport> report() const = 0;
};

}  // namespace photosync::engine
