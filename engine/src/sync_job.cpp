// A sync job's pipeline. Everything of one job runs on one strand, so its
// state needs no locks; only the counters (read by front ends) are atomic.
//
//   scan ──queue──▶ N stagers ──BatchPlanner──▶ committer (one commit at a time)
//
// The scan streams: staging starts with the first item found. Cancellation
// fires each task's cancellation slot (aborting its in-flight I/O); the
// committer finishes the commit it is in, so no batch is left half-known.
#include "sync_job.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <random>

#include "batch_planner.hpp"
#include "metered_stream.hpp"
#include "notifier.hpp"

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

constexpr std::size_t kMaxRecordedFailures = 1000;
constexpr auto kMaxStagedWait = std::chrono::seconds(30);

struct Work {
    std::uint64_t seq;
    sdk::SourceItem item;
};

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
          planner_(limits_.max_batch, std::max(4 * limits_.max_batch, 2 * concurrency_),
                   kMaxStagedWait),
          work_available_(strand_),
          queue_space_(strand_),
          tasks_changed_(strand_),
          committer_timer_(strand_),
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
        c.files_done = files_done_.load(std::memory_order_relaxed);
        c.bytes_done = bytes_done_.load(std::memory_order_relaxed);
        c.files_failed = files_failed_.load(std::memory_order_relaxed);
        c.files_skipped = files_skipped_.load(std::memory_order_relaxed);
        c.scan_complete = scan_complete_flag_.load(std::memory_order_relaxed);
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
        report_ready_.wait(lock, [&] { return report_.has_value(); });
        return *report_;
    }

    std::optional<JobReport> wait_for(std::chrono::milliseconds timeout) override {
        std::unique_lock lock(report_mutex_);
        report_ready_.wait_for(lock, timeout, [&] { return report_.has_value(); });
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
        if (cancel_requested_) {
            return;
        }
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

    // ---- the job ------------------------------------------------------------
    awaitable<void> run() {
        co_await asio::this_coro::throw_if_cancelled(false);
        // Lives in this frame: the destination's coroutine holds a reference to it.
        const sdk::ContainerRequest request{spec_.album, {}, true};
        auto container = co_await with_retry<sdk::Container>(
            "finding the album", [&] { return parts_.destination->resolve_container(request); });
        if (!container) {
            set_fatal(container.error());
            co_return finish();
        }
        if (!container->writable) {
            set_fatal(
                sdk::Error{ErrorKind::permission,
                           "album '" + spec_.album + "' exists but is not writable by photosync",
                           std::nullopt});
            co_return finish();
        }
        container_ = *container;
        emit(JobEvent{JobEvent::Type::container_ready, container_.title, 0, {}, JobState::running});

        auto lister = co_await parts_.source->list();
        if (!lister) {
            set_fatal(lister.error());
            co_return finish();
        }
        lister_ = std::move(*lister);

        spawn(scan(), true);
        live_stagers_ = concurrency_;
        for (std::size_t i = 0; i < concurrency_; ++i) {
            spawn(stage_items(), true);
        }
        // Not cancellable: it finishes the commit in flight, so no batch is left half-known.
        spawn(commit_batches(), false);
        while (live_tasks_ > 1) {  // everything but this task
            co_await tasks_changed_.wait();
        }
        finish();
    }

    awaitable<void> scan() {
        co_await asio::this_coro::throw_if_cancelled(false);
        std::uint64_t next_seq = 0;
        while (!cancel_requested_) {
            auto entry = co_await lister_->next();
            if (!entry) {
                if (entry.error().kind != ErrorKind::cancelled) {
                    set_fatal(entry.error());
                }
                break;
            }
            if (!*entry) {
                break;
            }
            if (auto* problem = std::get_if<sdk::ScanProblem>(&**entry)) {
                record_failure(problem->path, problem->error, JobEvent::Type::scan_problem);
                continue;
            }
            auto& item = std::get<sdk::SourceItem>(**entry);
            while (queue_.size() >= 2 * concurrency_ && !cancel_requested_) {
                co_await queue_space_.wait();
            }
            if (cancel_requested_) {
                break;
            }
            files_found_.fetch_add(1, std::memory_order_relaxed);
            bytes_found_.fetch_add(item.size, std::memory_order_relaxed);
            planner_.expect(next_seq);
            queue_.push_back(Work{next_seq++, std::move(item)});
            work_available_.notify_all();
        }
        scan_complete_ = true;
        scan_complete_flag_.store(true, std::memory_order_relaxed);
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
            auto staged = co_await stage_one(work.item);
            if (staged) {
                planner_.ready(work.seq, sdk::StagedItem{std::move(work.item), std::move(*staged)},
                               BatchPlanner::Clock::now());
            } else {
                planner_.drop(work.seq);
                if (staged.error().kind != ErrorKind::cancelled || !cancel_requested_) {
                    record_failure(work.item.path, staged.error(), JobEvent::Type::item_failed);
                }
            }
            wake_committer();
        }
        --live_stagers_;
        wake_committer();
    }

    awaitable<Result<sdk::Receipt>> stage_one(const sdk::SourceItem& item) {
        if (item.size > limits_.max_item_size) {
            co_return sdk::fail(ErrorKind::invalid_input,
                                "too large for " + parts_.destination->describe() + " (" +
                                    std::to_string(item.size) + " bytes, the limit is " +
                                    std::to_string(limits_.max_item_size) + ")");
        }
        auto receipt = co_await with_retry<sdk::Receipt>(
            "uploading " + sdk::display_path(item.path), [&] { return stage_attempt(item); });
        if (receipt) {
            emit(
                JobEvent{JobEvent::Type::item_staged, item.path, item.size, {}, JobState::running});
        }
        co_return receipt;
    }

    awaitable<Result<sdk::Receipt>> stage_attempt(const sdk::SourceItem& item) {
        auto content = co_await parts_.source->open(item);
        if (!content) {
            co_return std::unexpected(std::move(content.error()));
        }
        MeteredStream metered(std::move(*content), bytes_done_);
        auto receipt = co_await parts_.destination->stage(item, metered);
        if (!receipt) {
            metered.uncount();
        }
        co_return receipt;
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
        auto outcomes = co_await with_retry<std::vector<sdk::CommitOutcome>>(
            "adding items to the album",
            [&] { return parts_.destination->commit(container_, batch); });
        if (outcomes && outcomes->size() != batch.size()) {
            outcomes = sdk::fail(ErrorKind::protocol,
                                 parts_.destination->describe() + " returned " +
                                     std::to_string(outcomes->size()) + " results for " +
                                     std::to_string(batch.size()) + " items");
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto& item = batch[i].item;
            if (!outcomes) {
                record_failure(item.path, outcomes.error(), JobEvent::Type::item_failed);
            } else if (!(*outcomes)[i]) {
                record_failure(item.path, (*outcomes)[i].error(), JobEvent::Type::item_failed);
            } else {
                files_done_.fetch_add(1, std::memory_order_relaxed);
                emit(JobEvent{
                    JobEvent::Type::item_committed, item.path, item.size, {}, JobState::running});
            }
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
        // Observers hear "finished" before any waiter wakes up with the report.
        emit(JobEvent{JobEvent::Type::finished, {}, 0, report.error, report.state});
        state_.store(report.state);
        {
            std::lock_guard lock(report_mutex_);
            report_ = std::move(report);
        }
        report_ready_.notify_all();
    }

    // immutable after construction
    const std::uint64_t id_;
    const JobSpec spec_;
    const JobParts parts_;
    const sdk::DestinationLimits limits_;
    const std::shared_ptr<JobObserver> observer_;
    asio::strand<asio::any_io_executor> strand_;
    const std::size_t concurrency_;

    // strand-only state
    BatchPlanner planner_;
    std::deque<Work> queue_;
    Notifier work_available_;
    Notifier queue_space_;
    Notifier tasks_changed_;
    asio::steady_timer committer_timer_;
    std::unique_ptr<sdk::ItemLister> lister_;
    sdk::Container container_;
    std::vector<std::shared_ptr<asio::cancellation_signal>> signals_;
    std::size_t live_tasks_ = 0;
    std::size_t live_stagers_ = 0;
    bool scan_complete_ = false;
    bool cancel_requested_ = false;
    std::optional<sdk::Error> fatal_;
    std::vector<ItemFailure> failures_;
    std::uint64_t failures_total_ = 0;
    std::mt19937_64 rng_;
    std::chrono::steady_clock::time_point started_at_;

    // read from any thread
    std::atomic<JobState> state_{JobState::pending};
    std::atomic<std::uint64_t> files_found_{0}, bytes_found_{0}, files_done_{0}, bytes_done_{0},
        files_failed_{0}, files_skipped_{0};
    std::atomic<bool> scan_complete_flag_{false};
    mutable std::mutex report_mutex_;
    std::condition_variable report_ready_;
    std::optional<JobReport> report_;
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
