#include "job_registry.hpp"

#include <algorithm>
#include <thread>

#include "job_event_relay.hpp"
#include "json_mapping.hpp"
#include "watch_event_relay.hpp"

namespace photosync::server {

namespace {

constexpr auto kRateWindow = std::chrono::seconds(5);

double elapsed_seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace

// ---- JobRecord ---------------------------------------------------------

JobRecord::JobRecord(std::uint64_t id, JobInfo info)
    : id_(id),
      info_(std::move(info)),
      created_at_(std::chrono::system_clock::now()),
      started_(std::chrono::steady_clock::now()) {}

void JobRecord::attach(std::shared_ptr<engine::SyncJob> job) {
    std::lock_guard lock(mutex_);
    job_ = std::move(job);
}

void JobRecord::attach(std::shared_ptr<engine::FolderWatch> watch) {
    std::lock_guard lock(mutex_);
    watch_ = std::move(watch);
}

std::shared_ptr<engine::FolderWatch> JobRecord::release_watch() {
    std::lock_guard lock(mutex_);
    return std::move(watch_);
}

std::shared_ptr<engine::SyncJob> JobRecord::job() const {
    std::lock_guard lock(mutex_);
    return job_;
}

bool JobRecord::wait_for(std::chrono::milliseconds timeout) const {
    std::shared_ptr<engine::SyncJob> job;
    std::shared_ptr<engine::FolderWatch> watch;
    {
        std::lock_guard lock(mutex_);
        job = job_;
        watch = watch_;
    }
    if (job) {
        return job->wait_for(timeout).has_value();
    }
    return !watch || watch->wait_for(timeout).has_value();
}

void JobRecord::note_watch_event(const engine::WatchEvent& e) {
    using T = engine::WatchEvent::Type;
    std::lock_guard lock(mutex_);
    auto& w = watch_view_;
    switch (e.type) {
        case T::watching:
            w.folder_present = true;
            break;
        case T::sync_started:
            w.syncing = true;
            break;
        case T::sync_finished:
            w.syncing = false;
            ++w.syncs;
            w.last_sync_at = std::chrono::system_clock::now();
            w.last_sync_error = e.error;
            if (e.report) {
                w.last_sync_state = e.report->state;
                w.files_uploaded += e.report->counters.files_done;
                last_sync_counters_ = e.report->counters;
                if (!w.last_sync_error) {
                    w.last_sync_error = e.report->error;
                }
            } else {
                w.last_sync_state = engine::JobState::failed;
            }
            break;
        case T::folder_lost:
            w.folder_present = false;
            w.last_message = e.message;
            break;
        case T::folder_back:
            w.folder_present = true;
            w.last_message = e.message;
            break;
        case T::warning:
            w.last_message = e.message;
            break;
    }
    ++watch_changes_;
}

bool JobRecord::finished() const {
    std::lock_guard lock(mutex_);
    return report_.has_value();
}

bool JobRecord::finished_event_seen() const {
    std::lock_guard lock(mutex_);
    return finished_event_ && !report_;
}

void JobRecord::note_failure(FailureView failure) {
    std::lock_guard lock(mutex_);
    ++failures_seen_;
    failures_.push_back(std::move(failure));
    while (failures_.size() > kMaxFailuresKept) {
        failures_.pop_front();
    }
}

void JobRecord::note_album_ready() {
    std::lock_guard lock(mutex_);
    album_ready_ = true;
}

void JobRecord::note_finished_event() {
    std::lock_guard lock(mutex_);
    finished_event_ = !info_.watch;  // a watch's syncs finish; the watch goes on
}

void JobRecord::request_cancel() {
    std::shared_ptr<engine::SyncJob> job;
    std::shared_ptr<engine::FolderWatch> watch;
    {
        std::lock_guard lock(mutex_);
        if (report_) {
            return;
        }
        cancel_requested_ = true;
        job = job_;
        watch = watch_;
    }
    if (job) {
        job->cancel();
    }
    if (watch) {
        watch->stop();  // a sync in flight is cancelled cleanly
    }
}

bool JobRecord::sample(std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (watch_) {
        // A change of the watch, or of the counters of the sync it runs now.
        bool changed = watch_changes_ != watch_changes_sampled_;
        watch_changes_sampled_ = watch_changes_;
        if (auto c = watch_->current_counters()) {
            changed = changed || c->files_staged != last_counters_.files_staged ||
                      c->files_done != last_counters_.files_done ||
                      c->bytes_done != last_counters_.bytes_done ||
                      c->files_found != last_counters_.files_found;
            last_counters_ = *c;
        }
        return changed;
    }
    if (!job_) {
        return false;
    }
    auto c = job_->counters();
    samples_.emplace_back(now, c.bytes_done);
    while (samples_.size() > 2 && now - samples_.front().first > kRateWindow) {
        samples_.pop_front();
    }
    bool changed = c.files_found != last_counters_.files_found ||
                   c.bytes_found != last_counters_.bytes_found ||
                   c.files_staged != last_counters_.files_staged ||
                   c.files_done != last_counters_.files_done ||
                   c.bytes_done != last_counters_.bytes_done ||
                   c.files_failed != last_counters_.files_failed ||
                   c.files_unchanged != last_counters_.files_unchanged ||
                   c.scan_complete != last_counters_.scan_complete;
    last_counters_ = c;
    return changed;
}

bool JobRecord::reap() {
    std::lock_guard lock(mutex_);
    if (watch_ && !report_) {
        auto ended = watch_->wait_for(std::chrono::milliseconds(0));
        if (!ended) {
            return false;
        }
        engine::JobReport report;
        report.error = ended->error;
        report.state = report.error ? engine::JobState::failed : engine::JobState::cancelled;
        report.counters = last_sync_counters_;
        report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started_);
        watch_view_.syncing = false;
        report_ = std::move(report);
        finished_at_ = std::chrono::system_clock::now();
        watch_.reset();  // joins the watch's thread
        return true;
    }
    if (!job_ || report_) {
        return false;
    }
    auto report = job_->report();
    if (!report) {
        return false;
    }
    report_ = std::move(report);
    finished_at_ = std::chrono::system_clock::now();
    job_.reset();  // the plugin instances and the ledger connection go with it
    samples_.clear();
    return true;
}

JobSnapshot JobRecord::snapshot() const {
    std::lock_guard lock(mutex_);
    JobSnapshot s;
    s.id = id_;
    s.info = info_;
    s.created_at = created_at_;
    s.cancel_requested = cancel_requested_;
    s.album_ready = album_ready_;
    s.failures.assign(failures_.begin(), failures_.end());
    s.failures_total = failures_seen_;
    if (info_.watch) {
        s.watch = watch_view_;
    }
    if (report_) {
        const auto& r = *report_;
        s.state = r.state;
        s.counters = r.counters;
        s.finished_at = finished_at_;
        s.elapsed = r.elapsed;
        s.failures_total = std::max(failures_seen_, r.failures_total);
        s.error = r.error;
        s.album_id = r.container.id;
        double secs = static_cast<double>(r.elapsed.count()) / 1000.0;
        s.rate = secs > 0 ? static_cast<double>(r.counters.bytes_done) / secs : 0.0;
        bool ran_through =
            r.state == engine::JobState::succeeded || r.state == engine::JobState::partially_failed;
        if (info_.watch) {
            s.percent = 0;  // a watch has no end to measure against
        } else if (ran_through) {
            s.percent = 100.0;
        } else if (r.counters.bytes_found > 0) {
            s.percent = std::min(100.0, 100.0 * static_cast<double>(r.counters.bytes_done) /
                                            static_cast<double>(r.counters.bytes_found));
        }
        return s;
    }
    auto now = std::chrono::steady_clock::now();
    s.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_);
    if (info_.watch) {
        // Running until cancelled; the counters are those of the sync
        // running now, else of its latest.
        s.state = engine::JobState::running;
        auto current = watch_ ? watch_->current_counters() : std::nullopt;
        s.counters = current ? *current : last_sync_counters_;
        return s;
    }
    if (job_) {
        s.state = job_->state();
        s.counters = job_->counters();
    }
    const auto& c = s.counters;
    // Percent of bytes uploaded; 100 only once the job has ended (the last
    // batch may still be committing).
    double fraction = c.bytes_found == 0
                          ? (c.scan_complete ? 1.0 : 0.0)
                          : static_cast<double>(c.bytes_done) / static_cast<double>(c.bytes_found);
    s.percent = std::min(99.0, 100.0 * fraction);
    if (samples_.size() >= 2 &&
        samples_.back().first - samples_.front().first >= std::chrono::milliseconds(500)) {
        s.rate = static_cast<double>(samples_.back().second - samples_.front().second) /
                 elapsed_seconds(samples_.back().first - samples_.front().first);
    } else {
        double secs = elapsed_seconds(now - started_);
        s.rate = secs > 0.2 ? static_cast<double>(c.bytes_done) / secs : 0.0;
    }
    if (c.scan_complete && s.rate > 0 && c.bytes_found > c.bytes_done) {
        s.eta_seconds = static_cast<double>(c.bytes_found - c.bytes_done) / s.rate;
    }
    return s;
}

// ---- JobRegistry -------------------------------------------------------

JobRegistry::JobRegistry(engine::Engine& engine, std::shared_ptr<EventHub> events,
                         std::size_t max_finished)
    : engine_(engine), events_(std::move(events)), max_finished_(max_finished) {}

void JobRegistry::on_finished(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    finished_callback_ = std::make_shared<std::function<void()>>(std::move(callback));
}

sdk::Result<std::shared_ptr<JobRecord>> JobRegistry::start(engine::JobSpec spec, JobInfo info) {
    if (info.watch) {
        return start_watch(std::move(spec), std::move(info));
    }
    std::shared_ptr<std::function<void()>> on_finished;
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        on_finished = finished_callback_;
        id = next_id_++;
    }
    auto relay = std::make_shared<JobEventRelay>(events_, std::move(on_finished));
    auto job = engine_.start(std::move(spec), relay);
    if (!job) {
        return std::unexpected(job.error());
    }
    auto record = std::make_shared<JobRecord>(id, std::move(info));
    record->attach(*job);
    {
        std::lock_guard lock(mutex_);
        jobs_.emplace(record->id(), record);
    }
    forget_old_finished();
    // The "job" event goes out before any of the job's own events.
    relay->attach(record, [this, record] { publish_job(record, "job"); });
    return record;
}

sdk::Result<std::shared_ptr<JobRecord>> JobRegistry::start_watch(engine::JobSpec spec,
                                                                 JobInfo info) {
    std::shared_ptr<std::function<void()>> on_finished;
    std::uint64_t id = 0;
    {
        std::lock_guard lock(mutex_);
        on_finished = finished_callback_;
        id = next_id_++;
    }
    auto options = info.watch_options;
    auto record = std::make_shared<JobRecord>(id, std::move(info));
    // Each sync's item events go out under the watch's id; "finished" of a
    // sync does not end the watch, so the ticker is not hurried by it.
    auto relay = std::make_shared<JobEventRelay>(events_, nullptr);
    auto watch_relay = std::make_shared<WatchEventRelay>(events_, record, std::move(on_finished));
    auto watch = engine::watch_folder(engine_, std::move(spec), options, watch_relay, relay);
    if (!watch) {
        return std::unexpected(watch.error());
    }
    record->attach(*watch);
    {
        std::lock_guard lock(mutex_);
        jobs_.emplace(record->id(), record);
    }
    forget_old_finished();
    // The job first, then what its watch has said so far, then its first sync's events.
    relay->attach(record, [this, record, watch_relay] {
        publish_job(record, "job");
        watch_relay->attach();
    });
    return record;
}

void JobRegistry::publish_job(const std::shared_ptr<JobRecord>& record, const char* type) {
    events_->publish(type, dump_json(job_json(record->snapshot())));
}

std::vector<std::shared_ptr<JobRecord>> JobRegistry::list() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<JobRecord>> out;
    out.reserve(jobs_.size());
    for (const auto& [id, r] : jobs_) {
        out.push_back(r);
    }
    return out;
}

std::shared_ptr<JobRecord> JobRegistry::find(std::uint64_t id) const {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
}

bool JobRegistry::cancel(std::uint64_t id) {
    auto record = find(id);
    if (!record) {
        return false;
    }
    record->request_cancel();
    return true;
}

void JobRegistry::cancel_all() {
    for (const auto& r : list()) {
        r->request_cancel();
    }
}

bool JobRegistry::wait_all(std::chrono::steady_clock::time_point deadline) {
    for (const auto& r : list()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (!r->wait_for(std::max(left, std::chrono::milliseconds(0)))) {
            return false;
        }
    }
    return true;
}

std::vector<std::shared_ptr<engine::FolderWatch>> JobRegistry::release_watches() {
    std::vector<std::shared_ptr<engine::FolderWatch>> out;
    for (const auto& r : list()) {
        if (auto w = r->release_watch()) {
            w->stop();
            out.push_back(std::move(w));
        }
    }
    return out;
}

bool JobRegistry::tick() {
    auto now = std::chrono::steady_clock::now();
    bool soon = false;
    for (const auto& r : list()) {
        if (r->reap()) {
            publish_job(r, "job");
            continue;
        }
        if (r->finished_event_seen()) {
            soon = true;
        }
        if (r->sample(now)) {
            events_->publish("progress", dump_json(progress_json(r->snapshot())));
        }
    }
    forget_old_finished();
    return soon;
}

void JobRegistry::forget_old_finished() {
    std::lock_guard lock(mutex_);
    std::size_t finished = 0;
    for (const auto& [id, r] : jobs_) {
        finished += r->finished() ? 1 : 0;
    }
    for (auto it = jobs_.begin(); it != jobs_.end() && finished > max_finished_;) {
        if (it->second->finished()) {
            it = jobs_.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
}

}  // namespace photosync::server
