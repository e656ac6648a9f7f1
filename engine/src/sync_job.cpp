// A sync job's pipeline. Everything of one job runs on one strand, so its
// state needs no locks; only the counters (read by front ends) are atomic.
//
//   scan ──queue──▶ N stagers ──BatchPlanner──▶ committer (one commit at a time)
//
// The scan streams: staging starts with the first item found. The ledger
// (StateStore) is consulted per item: unchanged files cost one lookup and no
// I/O; a receipt from an interrupted run is committed without re-uploading;
// content already in the album under another name is not uploaded again.
// Before each commit the intent is recorded; after a crash or a lost reply it
// is reconciled against what the destination lists.
//
// Cancellation fires each task's cancellation slot (aborting its in-flight
// I/O); the committer finishes the commit it is in, so no batch is left
// half-known.
#include "sync_job.hpp"

#include <algorithm>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "after_upload.hpp"
#include "batch_planner.hpp"
#include "census.hpp"
#include "commit_reconciler.hpp"
#include "content_hash.hpp"
#include "content_in_flight.hpp"
#include "metered_stream.hpp"
#include "notifier.hpp"
#include "path_filter.hpp"
#include "twin_index.hpp"

namespace photosync::engine {

namespace asio = boost::asio;
using sdk::awaitable;
using sdk::ErrorKind;
using sdk::Result;

std::string_view to_string(JobState state) noexcept {
    switch (state) {
        case JobState::pending:
            return "pending";
        case JobState::running:
            return "running";
        case JobState::succeeded:
            return "succeeded";
        case JobState::partially_failed:
            return "partially_failed";
        case JobState::failed:
            return "failed";
        case JobState::cancelled:
            return "cancelled";
    }
    return "unknown";
}

namespace {

// "20.0 GB" (GiB, as Google Photos states its limits), for limits in messages.
std::string gigabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / (1ULL << 30));
    return text;
}

constexpr std::size_t kMaxRecordedFailures = 1000;
constexpr auto kMaxStagedWait = std::chrono::seconds(30);

struct Work {
    std::uint64_t seq;
    sdk::SourceItem item;
};

// An item whose content is identical to another item of this run: it is
// recorded with the other's remote id once that one is committed.
struct Duplicate {
    sdk::SourceItem item;
    std::string sha256;
    std::string original_path;
};

// A staged item whose ledger row waits for the next ledger transaction (the
// batch's commit intent). Dying before it costs a re-upload of the item, never
// a duplicate: nothing of it is in the album yet.
struct UnrecordedStage {
    sdk::SourceItem item;
    std::string sha256;
    sdk::Receipt receipt;
};

// Items at least this large are recorded as soon as they are staged: another
// upload of them would cost more than a ledger write of their own.
constexpr std::uint64_t kRecordStageAtOnce = 8 * 1024 * 1024;

// How long before a receipt's announced lifetime it counts as stale: a commit
// must not race its expiry.
constexpr auto kReceiptMargin = std::chrono::hours(1);

class SyncJobImpl final : public SyncJob, public std::enable_shared_from_this<SyncJobImpl> {
  public:
    SyncJobImpl(std::uint64_t id, JobSpec spec, JobParts parts, const asio::any_io_executor& ex,
                std::shared_ptr<JobObserver> observer)
        : id_(id),
          spec_(std::move(spec)),
          parts_(std::move(parts)),
          limits_(parts_.destination->limits()),
          observer_(std::move(observer)),
          strand_(asio::make_strand(ex)),
          concurrency_(std::clamp<std::size_t>(
              spec_.concurrency == 0 ? kDefaultConcurrency : spec_.concurrency, 1,
              kMaxConcurrency)),
          filter_(spec_.include, spec_.exclude),
          planner_(limits_.max_batch, std::max(4 * limits_.max_batch, 2 * concurrency_),
                   kMaxStagedWait),
          work_available_(strand_),
          queue_space_(strand_),
          tasks_changed_(strand_),
          stage_finished_(strand_),
          committer_timer_(strand_),
          census_delay_(strand_),
          rng_(std::random_device{}()) {}

    void start() {
        started_at_ = std::chrono::steady_clock::now();
        state_.store(JobState::running);
        asio::post(strand_, [self = shared_from_this()] { self->spawn(self->run(), false); });
    }

    std::uint64_t id() const noexcept override { return id_; }
    const JobSpec& spec() const noexcept override { return spec_; }
    JobState state() const noexcept override { return state_.load(); }

    JobCounters counters() const noexcept override {
        JobCounters c;
        c.files_found = files_found_.load(std::memory_order_relaxed);
        c.bytes_found = bytes_found_.load(std::memory_order_relaxed);
        c.files_staged = files_staged_.load(std::memory_order_relaxed);
        c.files_done = files_done_.load(std::memory_order_relaxed);
        c.bytes_done = bytes_done_.load(std::memory_order_relaxed);
        c.files_failed = files_failed_.load(std::memory_order_relaxed);
        c.files_unchanged = files_unchanged_.load(std::memory_order_relaxed);
        c.files_moved = files_moved_.load(std::memory_order_relaxed);
        c.files_deleted = files_deleted_.load(std::memory_order_relaxed);
        c.scan_complete = scan_complete_flag_.load(std::memory_order_relaxed);
        c.census_files = census_.files.load(std::memory_order_relaxed);
        c.census_bytes = census_.bytes.load(std::memory_order_relaxed);
        c.census_complete = census_.complete.load(std::memory_order_relaxed);
        return c;
    }

    void cancel() noexcept override {
        try {
            asio::post(strand_, [self = shared_from_this()] { self->do_cancel(); });
        } catch (...) {
            // Posting only fails when the engine is shutting down, which cancels too.
        }
    }

    JobReport wait() override {
        std::unique_lock lock(report_mutex_);
        report_ready_.wait(lock, [&] { return published_; });
        return *report_;
    }

    std::optional<JobReport> wait_for(std::chrono::milliseconds timeout) override {
        std::unique_lock lock(report_mutex_);
        if (!report_ready_.wait_for(lock, timeout, [&] { return published_; })) {
            return std::nullopt;
        }
        return report_;
    }

    std::optional<JobReport> report() const override {
        std::lock_guard lock(report_mutex_);
        return report_;
    }

  private:
    // ---- task bookkeeping (strand) -------------------------------------
    void spawn(awaitable<void> task, bool cancellable) {
        auto signal = std::make_shared<asio::cancellation_signal>();
        if (cancellable) {
            signals_.push_back(signal);
        }
        ++live_tasks_;
        asio::co_spawn(strand_, std::move(task),
                       asio::bind_cancellation_slot(signal->slot(), [self = shared_from_this(),
                                                                     signal](std::exception_ptr e) {
                           self->task_ended(signal, e);
                       }));
    }

    void task_ended(const std::shared_ptr<asio::cancellation_signal>& signal,
                    std::exception_ptr e) {
        std::erase(signals_, signal);
        if (e) {
            std::string what = "unknown exception";
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                what = ex.what();
            } catch (...) {
            }
            parts_.log->error("sync job " + std::to_string(id_) + ": internal error: " + what);
            set_fatal(sdk::Error{ErrorKind::internal, "internal error: " + what, std::nullopt});
            do_cancel();
        }
        --live_tasks_;
        tasks_changed_.notify_all();
    }

    void do_cancel() {
        if (cancel_signalled_) {
            return;
        }
        cancel_signalled_ = true;
        cancel_requested_ = true;
        for (auto& s : std::vector(signals_)) {
            s->emit(asio::cancellation_type::terminal);
        }
        work_available_.notify_all();
        queue_space_.notify_all();
        wake_committer();
        tasks_changed_.notify_all();
    }

    // The committer is the only waiter on its timer, so re-arming it is safe;
    // a wake-up sent while it is busy is not needed: it re-checks before waiting.
    void wake_committer() { committer_timer_.cancel(); }

    void set_fatal(sdk::Error e) {
        if (!fatal_) {
            fatal_ = std::move(e);
        }
    }

    void emit(JobEvent event) {
        if (observer_) {
            observer_->on_event(event);
        }
    }

    // The day's request quota is used up (Google's, or the destination's own
    // budget): nothing more can be sent today, so the run stops with that
    // error. No new work starts, but what is in flight finishes (its requests
    // are paid for): what it staged stays staged with its receipt, and no item
    // is marked failed. The run after the reset takes over.
    bool stop_for_quota(const sdk::Error& error) {
        if (error.kind != ErrorKind::quota_exhausted) {
            return false;
        }
        set_fatal(error);
        if (!cancel_requested_) {
            cancel_requested_ = true;
            work_available_.notify_all();
            queue_space_.notify_all();
            wake_committer();
            tasks_changed_.notify_all();
        }
        return true;
    }

    void record_failure(const std::string& path, const sdk::Error& error, JobEvent::Type type) {
        files_failed_.fetch_add(1, std::memory_order_relaxed);
        ++failures_total_;
        if (failures_.size() < kMaxRecordedFailures) {
            failures_.push_back(ItemFailure{path, error});
        }
        parts_.log->debug("item " + sdk::display_path(path) + " failed: " + error.message);
        emit(JobEvent{type, path, 0, error, JobState::running});
    }

    // ---- retries ---------------------------------------------------------
    template <class T, class Op>
    awaitable<Result<T>> with_retry(std::string_view what, Op op) {
        for (int attempt = 1;; ++attempt) {
            Result<T> r = co_await op();
            if (r || cancel_requested_) {
                co_return r;
            }
            auto delay = parts_.retry.delay_before(r.error(), attempt + 1, rng_());
            if (!delay) {
                co_return r;
            }
            parts_.log->debug(std::string(what) + " failed (" + r.error().message + "); retry " +
                              std::to_string(attempt) + " in " + std::to_string(delay->count()) +
                              " ms");
            asio::steady_timer timer(strand_);
            timer.expires_after(*delay);
            (void)co_await timer.async_wait(sdk::use_tuple);
            if (cancel_requested_) {
                co_return sdk::fail(ErrorKind::cancelled, "cancelled");
            }
        }
    }

    // ---- ledger helpers (strand) ------------------------------------------
    bool has_ledger() const {
        return parts_.store.has_value() && parts_.target != 0 && !spec_.dry_run;
    }

    // A ledger write that fails stops the job: progress that cannot be
    // recorded would be uploaded again (or lost track of) after a crash.
    bool ledger_ok(const sdk::Result<void>& r) {
        if (!r) {
            set_fatal(r.error());
            do_cancel();
            return false;
        }
        return true;
    }

    bool receipt_fresh(std::int64_t staged_at_s) const {
        auto staged = sdk::TimePoint(std::chrono::seconds(staged_at_s));
        return staged + limits_.receipt_lifetime - kReceiptMargin >
               std::chrono::system_clock::now();
    }

    // ---- the job ------------------------------------------------------------
    awaitable<void> run() {
        co_await asio::this_coro::throw_if_cancelled(false);
        if (!co_await resolve_album()) {
            co_return finish();
        }
        if (has_ledger() && !co_await reconcile_interrupted_commits()) {
            co_return finish();
        }
        auto lister = co_await parts_.source->list();
        if (!lister) {
            set_fatal(lister.error());
            co_return finish();
        }
        lister_ = std::move(*lister);

        spawn(scan(), true);
        if (spec_.census && !spec_.dry_run) {
            spawn(census(), true);
        }
        if (!spec_.dry_run) {
            live_stagers_ = concurrency_;
            for (std::size_t i = 0; i < concurrency_; ++i) {
                spawn(stage_items(), true);
            }
            // Not cancellable: it finishes the commit in flight, so no batch is left half-known.
            spawn(commit_batches(), false);
        }
        while (live_tasks_ > 1) {  // everything but this task
            co_await tasks_changed_.wait();
        }
        // Staged but not committed (cancelled, or the commits failed): kept for the next run.
        if (has_ledger() && !unrecorded_stages_.empty()) {
            ledger_ok(parts_.store->transaction([&] { return record_stages(); }));
        }
        resolve_duplicates();
        co_await after_upload();
        finish();
    }

    awaitable<bool> resolve_album() {
        std::string known_id;
        if (parts_.store && parts_.target != 0) {
            auto id = parts_.store->container_id(parts_.target);
            if (!id) {
                set_fatal(id.error());
                co_return false;
            }
            known_id = *id;
        }
        // Found now, created only when the first batch is ready: a run that adds
        // nothing (or whose items all fail) leaves no empty album behind.
        // Lives in this frame: the destination's coroutine holds a reference to it.
        const sdk::ContainerRequest request{spec_.album, known_id, false};
        auto container = co_await with_retry<sdk::Container>(
            "finding the album", [&] { return parts_.destination->resolve_container(request); });
        if (!container) {
            if (container.error().kind == ErrorKind::not_found) {
                container_ = sdk::Container{{}, spec_.album, true, std::nullopt};
                album_pending_ = true;
                co_return true;
            }
            set_fatal(container.error());
            co_return false;
        }
        co_return adopt_album(std::move(*container), known_id);
    }

    awaitable<bool> create_album() {
        const sdk::ContainerRequest request{spec_.album, {}, true};
        auto container = co_await with_retry<sdk::Container>(
            "creating the album", [&] { return parts_.destination->resolve_container(request); });
        if (!container) {
            set_fatal(container.error());
            do_cancel();
            co_return false;
        }
        album_pending_ = false;
        co_return adopt_album(std::move(*container), {});
    }

    bool adopt_album(sdk::Container container, const std::string& known_id) {
        if (!container.writable) {
            set_fatal(sdk::Error{ErrorKind::permission,
                                 "album '" + spec_.album +
                                     "' exists but photosync cannot add to it (only albums "
                                     "photosync created are writable): choose another name",
                                 std::nullopt});
            return false;
        }
        container_ = std::move(container);
        // Remembered by id: the next run finds the same album even if titles repeat.
        if (has_ledger() && container_.id != known_id &&
            !ledger_ok(parts_.store->set_container_id(parts_.target, container_.id))) {
            return false;
        }
        emit(JobEvent{JobEvent::Type::container_ready, container_.title, 0, {}, JobState::running});
        return true;
    }

    // Items recorded as `committing` were in a commit whose outcome was never
    // learnt (a crash, a lost reply). Whatever the destination holds under
    // their name is theirs; the rest go back to `staged`.
    awaitable<bool> reconcile(std::vector<LedgerEntry> entries) {
        if (entries.empty()) {
            co_return true;
        }
        if (album_pending_) {  // no album: nothing of theirs was added anywhere
            for (const auto& e : entries) {
                if (!ledger_ok(parts_.store->resolve_not_committed(parts_.target, e.path))) {
                    co_return false;
                }
            }
            co_return true;
        }
        auto remote = co_await with_retry<std::vector<sdk::RemoteItem>>(
            "listing the album", [&] { return parts_.destination->list_container(container_); });
        if (!remote) {
            set_fatal(remote.error());
            co_return false;
        }
        auto claimed_ids = parts_.store->committed_remote_ids(parts_.target);
        if (!claimed_ids) {
            set_fatal(claimed_ids.error());
            co_return false;
        }
        const auto decisions = reconcile_commits(
            entries, *remote,
            std::unordered_set<std::string>(claimed_ids->begin(), claimed_ids->end()));
        std::size_t found = 0;
        for (const auto& d : decisions) {
            found += d.remote_id ? 1 : 0;
            if (!ledger_ok(
                    d.remote_id
                        ? parts_.store->resolve_committed(parts_.target, d.path, *d.remote_id)
                        : parts_.store->resolve_not_committed(parts_.target, d.path))) {
                co_return false;
            }
        }
        parts_.log->info("reconciled " + std::to_string(entries.size()) +
                         " items of an interrupted commit: " + std::to_string(found) +
                         " were already in the album");
        co_return true;
    }

    awaitable<bool> reconcile_interrupted_commits() {
        auto committing = parts_.store->in_state(parts_.target, ItemState::committing);
        if (!committing) {
            set_fatal(committing.error());
            co_return false;
        }
        co_return co_await reconcile(std::move(*committing));
    }

    // The look ahead (census.hpp), once the run has gone a second: a run
    // whose scan is over by then has its counts already.
    awaitable<void> census() {
        co_await asio::this_coro::throw_if_cancelled(false);
        const auto run_started = unix_now_s();
        if (scan_complete_) {
            co_return;
        }
        census_delay_.expires_after(std::chrono::seconds(1));
        auto [ec] = co_await census_delay_.async_wait(sdk::use_tuple);
        if (ec || scan_complete_ || cancel_requested_) {
            co_return;  // the scan ended first (it cancels the wait), or the run stops
        }
        co_await take_census(
            *parts_.source, filter_, parts_.store ? &*parts_.store : nullptr, parts_.target,
            run_started, [this] { return scan_complete_ || cancel_requested_; }, census_);
    }

    awaitable<void> scan() {
        co_await asio::this_coro::throw_if_cancelled(false);
        bool listed_all = false;
        while (!cancel_requested_) {
            auto entry = co_await lister_->next();
            if (!entry) {
                if (entry.error().kind != ErrorKind::cancelled) {
                    set_fatal(entry.error());
                }
                break;
            }
            if (!*entry) {
                listed_all = true;
                break;
            }
            if (auto* problem = std::get_if<sdk::ScanProblem>(&**entry)) {
                if (filter_.accepts(problem->path)) {
                    record_failure(problem->path, problem->error, JobEvent::Type::scan_problem);
                }
                continue;
            }
            auto& item = std::get<sdk::SourceItem>(**entry);
            if (!filter_.accepts(item.path)) {
                continue;
            }
            std::optional<LedgerEntry> known;
            if (parts_.store && parts_.target != 0) {
                auto found = parts_.store->find(parts_.target, item.path);
                if (!found) {
                    set_fatal(found.error());
                    do_cancel();
                    break;
                }
                known = std::move(*found);
            }
            const bool same = same_file(known, item);
            if (same && known->state == ItemState::committed) {
                files_unchanged_.fetch_add(1, std::memory_order_relaxed);
                continue;  // no hashing, no network
            }
            files_found_.fetch_add(1, std::memory_order_relaxed);
            bytes_found_.fetch_add(item.size, std::memory_order_relaxed);
            if (spec_.dry_run) {
                emit(
                    JobEvent{JobEvent::Type::planned, item.path, item.size, {}, JobState::running});
                continue;
            }
            std::uint64_t seq = next_seq_++;
            planner_.expect(seq);
            if (same && known->state == ItemState::staged && !known->receipt.empty() &&
                receipt_fresh(known->staged_at)) {
                // Staged by an interrupted run and still valid: commit it, do not upload again.
                bytes_done_.fetch_add(item.size, std::memory_order_relaxed);
                files_staged_.fetch_add(1, std::memory_order_relaxed);
                if (!known->sha256.empty()) {
                    in_flight_.note(known->sha256, item.path);
                }
                planner_.ready(
                    seq,
                    sdk::StagedItem{
                        std::move(item),
                        sdk::Receipt{known->receipt,
                                     sdk::TimePoint(std::chrono::seconds(known->staged_at))}},
                    BatchPlanner::Clock::now());
                wake_committer();
                continue;
            }
            while (queue_.size() >= 2 * concurrency_ && !cancel_requested_) {
                co_await queue_space_.wait();
            }
            if (cancel_requested_) {
                planner_.drop(seq);
                break;
            }
            queue_.push_back(Work{seq, std::move(item)});
            work_available_.notify_all();
        }
        scan_complete_ = true;
        census_delay_.cancel();  // a quick run is not kept waiting for its look ahead
        // Front ends read the counts as final (the quota planner's line) only
        // when the whole source was listed, not when a stop cut the scan short.
        scan_complete_flag_.store(listed_all, std::memory_order_relaxed);
        emit(JobEvent{JobEvent::Type::scan_complete, {}, 0, {}, JobState::running});
        work_available_.notify_all();
        wake_committer();
    }

    awaitable<void> stage_items() {
        co_await asio::this_coro::throw_if_cancelled(false);
        while (!cancel_requested_) {
            if (queue_.empty()) {
                if (scan_complete_) {
                    break;
                }
                co_await work_available_.wait();
                continue;
            }
            Work work = std::move(queue_.front());
            queue_.pop_front();
            queue_space_.notify_all();
            co_await process(std::move(work));
            wake_committer();
        }
        --live_stagers_;
        wake_committer();
    }

    // One item: dedupe by content where a twin is possible, else stage.
    awaitable<void> process(Work work) {
        const auto& item = work.item;
        TwinIndex::Group* group = twins_.find(item.size);
        std::optional<std::string> head;  // this item's fingerprint, once its size has a twin
        bool full_hash = false;
        if (group == nullptr) {
            bool committed_size = false;
            if (has_ledger()) {
                auto sized = parts_.store->has_committed_size(parts_.target, item.size);
                if (!sized) {
                    ledger_ok(std::unexpected(sized.error()));
                    planner_.drop(work.seq);
                    co_return;
                }
                committed_size = *sized;
            }
            group = &twins_.open(item, committed_size);
            full_hash = committed_size;
            group->first_uploading = !full_hash;
        } else {
            auto mine = co_await hash_content(*parts_.source, item, kHeadFingerprintBytes);
            if (!mine) {
                planner_.drop(work.seq);
                record_item_failure(item, mine.error());
                co_return;
            }
            if (!group->first_head) {
                // The group's first item went up unfingerprinted: read its head now
                // (groups are never moved, the pointer outlives the suspension).
                sdk::SourceItem first = group->first;
                auto theirs = co_await hash_content(*parts_.source, first, kHeadFingerprintBytes);
                // Unreadable now (deleted?): it matches nothing.
                group->first_head = theirs ? std::move(*theirs) : std::string();
            }
            full_hash = group->needs_full_hash(*mine);
            group->add_head(*mine);
            head = std::move(*mine);
        }
        if (full_hash) {
            // Only possible twins are hashed before upload: the common case reads
            // each file once, and a twin's head 64 KiB at most once more.
            auto sha = co_await hash_content(*parts_.source, item);
            if (!sha) {
                planner_.drop(work.seq);
                record_item_failure(item, sha.error());
                co_return;
            }
            while (head && !group->settled(*head) && !cancel_requested_) {
                co_await stage_finished_.wait();
            }
            if (co_await already_there(work, *sha)) {
                co_return;
            }
            in_flight_.note(*sha, item.path);
        } else if (head) {
            group->upload_started(*head);
        }

        auto staged = co_await stage_one(item);
        if (!full_hash) {
            if (head) {
                group->upload_ended(*head);
            } else {
                group->first_uploading = false;
            }
            if (staged) {
                in_flight_.note(staged->second, item.path);
            }
            stage_finished_.notify_all();
        }
        if (!staged) {
            planner_.drop(work.seq);
            if (stop_for_quota(staged.error())) {
                co_return;
            }
            if (staged.error().kind != ErrorKind::cancelled || !cancel_requested_) {
                record_item_failure(item, staged.error());
            }
            co_return;
        }
        if (has_ledger()) {
            if (item.size >= kRecordStageAtOnce) {
                if (!ledger_ok(parts_.store->record_staged(parts_.target, item, staged->second,
                                                           staged->first))) {
                    planner_.drop(work.seq);
                    co_return;
                }
            } else {
                unrecorded_stages_.push_back(UnrecordedStage{item, staged->second, staged->first});
            }
        }
        planner_.ready(work.seq, sdk::StagedItem{std::move(work.item), std::move(staged->first)},
                       BatchPlanner::Clock::now());
    }

    // Content already committed (renamed or moved file), or already in this run.
    awaitable<bool> already_there(const Work& work, const std::string& sha) {
        const auto& item = work.item;
        if (has_ledger()) {
            auto committed = parts_.store->find_committed_by_hash(parts_.target, sha);
            if (!committed) {
                ledger_ok(std::unexpected(committed.error()));
                planner_.drop(work.seq);
                co_return true;
            }
            if (*committed) {
                planner_.drop(work.seq);
                if (ledger_ok(parts_.store->record_committed(parts_.target, item, sha,
                                                             (*committed)->remote_id))) {
                    files_found_.fetch_sub(1, std::memory_order_relaxed);
                    bytes_found_.fetch_sub(item.size, std::memory_order_relaxed);
                    files_unchanged_.fetch_add(1, std::memory_order_relaxed);
                }
                co_return true;
            }
        }
        if (const auto* twin = in_flight_.find(sha)) {
            planner_.drop(work.seq);
            duplicates_.push_back(Duplicate{item, sha, *twin});
            co_return true;
        }
        co_return false;
    }

    // Stages with retries; on success the receipt and the content's SHA-256.
    awaitable<Result<std::pair<sdk::Receipt, std::string>>> stage_one(const sdk::SourceItem& item) {
        if (item.size > limits_.max_item_size) {
            // Before the file is opened: the destination's own, finer rules
            // (a photo's limit below a video's) come with its stage().
            co_return sdk::fail(ErrorKind::invalid_input,
                                "too large for " + parts_.destination->describe() + ": " +
                                    gigabytes(item.size) + ", and it takes items of at most " +
                                    gigabytes(limits_.max_item_size));
        }
        std::string sha;
        auto receipt = co_await with_retry<sdk::Receipt>(
            "uploading " + sdk::display_path(item.path), [&] { return stage_attempt(item, sha); });
        if (!receipt) {
            co_return std::unexpected(std::move(receipt.error()));
        }
        files_staged_.fetch_add(1, std::memory_order_relaxed);
        emit(JobEvent{JobEvent::Type::item_staged, item.path, item.size, {}, JobState::running});
        co_return std::pair{std::move(*receipt), std::move(sha)};
    }

    awaitable<Result<sdk::Receipt>> stage_attempt(const sdk::SourceItem& item, std::string& sha) {
        auto content = co_await parts_.source->open(item);
        if (!content) {
            co_return std::unexpected(std::move(content.error()));
        }
        MeteredStream metered(throttle(std::move(*content), parts_.bandwidth), bytes_done_);
        auto receipt = co_await parts_.destination->stage(item, metered);
        if (!receipt) {
            metered.uncount();
        } else {
            sha = metered.sha256().value_or("");
        }
        co_return receipt;
    }

    void record_item_failure(const sdk::SourceItem& item, const sdk::Error& error) {
        record_failure(item.path, error, JobEvent::Type::item_failed);
        if (has_ledger()) {
            ledger_ok(parts_.store->record_failed(parts_.target, item, error.message));
        }
    }

    awaitable<void> commit_batches() {
        co_await asio::this_coro::throw_if_cancelled(false);
        while (!cancel_requested_) {
            bool input_complete = scan_complete_ && live_stagers_ == 0;
            auto batch = planner_.next_batch(BatchPlanner::Clock::now(), input_complete);
            if (!batch.empty()) {
                co_await commit_one_batch(std::move(batch));
                continue;
            }
            if (input_complete && planner_.empty()) {
                break;
            }
            // Woken by stagers; the timeout lets age-based flushing happen.
            committer_timer_.expires_after(std::chrono::seconds(1));
            (void)co_await committer_timer_.async_wait(sdk::use_tuple);
        }
    }

    awaitable<void> commit_one_batch(std::vector<sdk::StagedItem> batch) {
        if (album_pending_ && !co_await create_album()) {
            if (fatal_ && fatal_->kind == ErrorKind::quota_exhausted) {
                co_return;  // still staged: recorded as such at the end of the run
            }
            for (const auto& staged : batch) {
                record_item_failure(staged.item, *fatal_);
            }
            co_return;
        }
        // Intent first: if we die during the call, the next run knows to look.
        if (has_ledger() && !ledger_ok(parts_.store->transaction([&]() -> Result<void> {
                if (auto r = record_stages(); !r) {
                    return r;
                }
                return parts_.store->record_committing(parts_.target, batch);
            }))) {
            co_return;
        }
        auto outcomes = co_await with_retry<std::vector<sdk::CommitOutcome>>(
            "adding items to the album",
            [&] { return parts_.destination->commit(container_, batch); });
        if (outcomes && outcomes->size() != batch.size()) {
            outcomes = sdk::fail(ErrorKind::unknown_outcome,
                                 parts_.destination->describe() + " returned " +
                                     std::to_string(outcomes->size()) + " results for " +
                                     std::to_string(batch.size()) + " items");
        }
        if (!outcomes && outcomes.error().kind == ErrorKind::quota_exhausted) {
            // Refused before anything was added: back to staged, receipts kept.
            if (has_ledger() && !ledger_ok(parts_.store->transaction([&]() -> Result<void> {
                    for (const auto& staged : batch) {
                        if (auto r = parts_.store->resolve_not_committed(parts_.target,
                                                                         staged.item.path);
                            !r) {
                            return r;
                        }
                    }
                    return {};
                }))) {
                co_return;
            }
            stop_for_quota(outcomes.error());
            co_return;
        }
        if (!outcomes && outcomes.error().kind == ErrorKind::unknown_outcome && has_ledger()) {
            co_await recover_unknown_outcome(std::move(batch), outcomes.error());
            co_return;
        }
        auto error_of = [&](std::size_t i) -> const sdk::Error* {
            if (!outcomes) {
                return &outcomes.error();
            }
            return (*outcomes)[i] ? nullptr : &(*outcomes)[i].error();
        };
        // The batch's outcome is one ledger transaction, then the events.
        if (has_ledger() && !ledger_ok(parts_.store->transaction([&]() -> Result<void> {
                for (std::size_t i = 0; i < batch.size(); ++i) {
                    const auto& item = batch[i].item;
                    auto r =
                        error_of(i) != nullptr
                            ? parts_.store->record_failed(parts_.target, item, error_of(i)->message)
                            : parts_.store->record_committed(parts_.target, item, "",
                                                             (*outcomes)[i]->remote_id);
                    if (!r) {
                        return r;
                    }
                }
                return {};
            }))) {
            co_return;
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto& item = batch[i].item;
            in_flight_.forget(item.path);  // the ledger answers for it from now on
            if (const auto* error = error_of(i); error != nullptr) {
                record_failure(item.path, *error, JobEvent::Type::item_failed);
                continue;
            }
            files_done_.fetch_add(1, std::memory_order_relaxed);
            emit(JobEvent{
                JobEvent::Type::item_committed, item.path, item.size, {}, JobState::running});
        }
    }

    // A commit whose reply was lost: ask the destination what it holds, and
    // commit (once more) only what is not there.
    awaitable<void> recover_unknown_outcome(std::vector<sdk::StagedItem> batch, sdk::Error error) {
        parts_.log->warn("the reply to a commit was lost (" + error.message +
                         "); checking the album");
        std::vector<LedgerEntry> entries;
        for (const auto& s : batch) {
            entries.push_back(LedgerEntry{s.item.path, s.item.size});
        }
        if (!co_await reconcile(std::move(entries))) {
            co_return;
        }
        for (auto& s : batch) {
            auto e = parts_.store->find(parts_.target, s.item.path);
            if (!e || !*e) {
                continue;
            }
            if ((*e)->state == ItemState::committed) {
                files_done_.fetch_add(1, std::memory_order_relaxed);
                emit(JobEvent{JobEvent::Type::item_committed,
                              s.item.path,
                              s.item.size,
                              {},
                              JobState::running});
            } else if (recommitted_.insert(s.item.path).second) {
                std::uint64_t seq = next_seq_++;
                planner_.expect(seq);
                planner_.ready(seq, std::move(s), BatchPlanner::Clock::now());
            } else {
                record_item_failure(s.item, error);
            }
        }
    }

    // Stages not yet in the ledger, written in the caller's transaction.
    Result<void> record_stages() {
        for (const auto& s : unrecorded_stages_) {
            if (auto r = parts_.store->record_staged(parts_.target, s.item, s.sha256, s.receipt);
                !r) {
                return r;
            }
        }
        unrecorded_stages_.clear();
        return {};
    }

    // Twins of committed items get the same remote id; the rest wait for a later run.
    void resolve_duplicates() {
        for (const auto& d : duplicates_) {
            if (!has_ledger()) {
                break;
            }
            auto original = parts_.store->find(parts_.target, d.original_path);
            if (original && *original && (*original)->state == ItemState::committed) {
                if (ledger_ok(parts_.store->record_committed(parts_.target, d.item, d.sha256,
                                                             (*original)->remote_id))) {
                    files_found_.fetch_sub(1, std::memory_order_relaxed);
                    bytes_found_.fetch_sub(d.item.size, std::memory_order_relaxed);
                    files_unchanged_.fetch_add(1, std::memory_order_relaxed);
                }
            }
        }
    }

    // --move-to / --delete-after-upload, once the commits are over and only
    // if the job ran to its end (after_upload.hpp): a cancelled or stopped run
    // leaves that to the next one.
    awaitable<void> after_upload() {
        if (!has_ledger() || cancel_requested_ || fatal_ ||
            (spec_.move_to.empty() && !spec_.delete_after_upload)) {
            co_return;
        }
        AfterUploadHooks hooks{
            [this] { return cancel_requested_; },
            [this] {
                return with_retry<std::vector<sdk::RemoteItem>>("listing the album", [this] {
                    return parts_.destination->list_container(container_);
                });
            },
            [this](const sdk::SourceItem& item, JobEvent::Type type) {
                auto& counter = type == JobEvent::Type::item_moved ? files_moved_ : files_deleted_;
                counter.fetch_add(1, std::memory_order_relaxed);
                emit(JobEvent{type, item.path, item.size, {}, JobState::running});
            },
            [this](const std::string& path, const sdk::Error& error) {
                record_failure(path, error, JobEvent::Type::item_failed);
            }};
        auto done = co_await run_after_upload(spec_, *parts_.source, *parts_.store, parts_.target,
                                              filter_, !album_pending_, std::move(hooks));
        if (!done) {
            set_fatal(done.error());
        }
    }

    void finish() {
        JobReport report;
        report.state = cancel_requested_ && !fatal_ ? JobState::cancelled
                       : fatal_                     ? JobState::failed
                       : failures_total_ > 0        ? JobState::partially_failed
                                                    : JobState::succeeded;
        report.counters = counters();
        report.failures = std::move(failures_);
        report.failures_total = failures_total_;
        report.error = fatal_;
        report.container = container_;
        report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started_at_);
        lister_.reset();
        if (has_ledger()) {
            const auto& c = report.counters;
            auto r = parts_.store->end_run(parts_.run, to_string(report.state), c.files_found,
                                           c.files_done, c.files_failed, c.files_unchanged,
                                           c.bytes_done);
            if (!r) {
                parts_.log->warn(r.error().message);
            }
        }
        parts_.lock = TargetLock{};  // the next run of this album may start
        // The report is readable when observers hear "finished"; waiters wake
        // only after that, so they never see the report before observers do.
        state_.store(report.state);
        auto finished = JobEvent{JobEvent::Type::finished, {}, 0, report.error, report.state};
        {
            std::lock_guard lock(report_mutex_);
            report_ = std::move(report);
        }
        emit(finished);
        {
            std::lock_guard lock(report_mutex_);
            published_ = true;
        }
        report_ready_.notify_all();
    }

    // immutable after construction
    const std::uint64_t id_;
    const JobSpec spec_;
    JobParts parts_;  // the store is used (on the strand) and so not const
    const sdk::DestinationLimits limits_;
    const std::shared_ptr<JobObserver> observer_;
    asio::strand<asio::any_io_executor> strand_;
    const std::size_t concurrency_;

    // strand-only state
    const PathFilter filter_;
    BatchPlanner planner_;
    std::deque<Work> queue_;
    Notifier work_available_;
    Notifier queue_space_;
    Notifier tasks_changed_;
    Notifier stage_finished_;  // a stage ended: same-size twins may compare hashes now
    std::uint64_t next_seq_ = 0;
    TwinIndex twins_;
    ContentInFlight in_flight_;  // this run's content the ledger cannot answer for yet
    std::vector<Duplicate> duplicates_;
    std::vector<UnrecordedStage> unrecorded_stages_;
    std::unordered_set<std::string> recommitted_;  // paths retried after an unknown outcome
    asio::steady_timer committer_timer_;
    asio::steady_timer census_delay_;
    std::unique_ptr<sdk::ItemLister> lister_;
    sdk::Container container_;
    std::vector<std::shared_ptr<asio::cancellation_signal>> signals_;
    std::size_t live_tasks_ = 0;
    std::size_t live_stagers_ = 0;
    bool scan_complete_ = false;
    bool cancel_requested_ = false;  // no new work starts
    bool cancel_signalled_ = false;  // in-flight work was told to stop too
    bool album_pending_ = false;     // not found yet: created before the first commit
    std::optional<sdk::Error> fatal_;
    std::vector<ItemFailure> failures_;
    std::uint64_t failures_total_ = 0;
    std::mt19937_64 rng_;
    std::chrono::steady_clock::time_point started_at_;

    // read from any thread
    std::atomic<JobState> state_{JobState::pending};
    std::atomic<std::uint64_t> files_found_{0}, bytes_found_{0}, files_staged_{0}, files_done_{0},
        bytes_done_{0}, files_failed_{0}, files_unchanged_{0};
    std::atomic<std::uint64_t> files_moved_{0}, files_deleted_{0};
    std::atomic<bool> scan_complete_flag_{false};
    CensusCount census_;
    mutable std::mutex report_mutex_;
    std::condition_variable report_ready_;
    std::optional<JobReport> report_;  // set before the finished event
    bool published_ = false;           // set after it: wait() returns then
};

}  // namespace

std::shared_ptr<SyncJob> launch_sync_job(std::uint64_t id, JobSpec spec, JobParts parts,
                                         const asio::any_io_executor& executor,
                                         std::shared_ptr<JobObserver> observer) {
    auto job = std::make_shared<SyncJobImpl>(id, std::move(spec), std::move(parts), executor,
                                             std::move(observer));
    job->start();
    return job;
}

}  // namespace photosync::engine
