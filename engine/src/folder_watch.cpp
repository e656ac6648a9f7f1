// Watch mode: inotify on every folder of the tree, read through an Asio
// stream_descriptor on the watch's own thread; a debounce per path; an
// incremental sync job of the whole folder once something is quiet.
#include "photosync/engine/folder_watch.hpp"

#include <dirent.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "photosync/sdk/posix_error.hpp"

namespace photosync::engine {

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kDirMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO |
                                   IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
                                   IN_ONLYDIR;

struct Identity {
    dev_t dev = 0;
    ino_t ino = 0;
    bool mount_point = false;  // on another device than its parent
    friend bool operator==(const Identity& a, const Identity& b) {
        return a.dev == b.dev && a.ino == b.ino;
    }
};

std::optional<Identity> identity_of(const fs::path& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return std::nullopt;
    }
    Identity id{st.st_dev, st.st_ino, false};
    struct stat parent {};
    if (::stat((dir / "..").c_str(), &parent) == 0) {
        id.mount_point = parent.st_dev != st.st_dev;
    }
    return id;
}

std::string join(const std::string& dir, const std::string& name) {
    return dir.empty() ? name : dir + "/" + name;
}

class Watcher final : public FolderWatch {
  public:
    Watcher(Engine& engine, JobSpec spec, WatchOptions options,
            std::shared_ptr<WatchObserver> observer, std::shared_ptr<JobObserver> job_observer,
            fs::path root, bool include_hidden)
        : engine_(engine),
          spec_(std::move(spec)),
          options_(options),
          observer_(std::move(observer)),
          job_observer_(std::move(job_observer)),
          root_(std::move(root)),
          include_hidden_(include_hidden),
          timer_(io_) {}

    ~Watcher() override {
        stop();
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    void start() {
        // The coroutines use `this`: the destructor stops them and joins the thread.
        asio::co_spawn(
            io_, [this] { return run(); }, asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }

    void stop() noexcept override {
        asio::post(io_, [this] {
            stopping_ = true;
            if (job_) {
                job_->cancel();
            }
            timer_.cancel();
        });
    }

    WatchResult wait() override {
        std::unique_lock lock(mutex_);
        done_cv_.wait(lock, [this] { return result_.has_value(); });
        return *result_;
    }

    std::optional<WatchResult> wait_for(std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mutex_);
        done_cv_.wait_for(lock, timeout, [this] { return result_.has_value(); });
        return result_;
    }

    std::optional<JobCounters> current_counters() const override {
        std::lock_guard lock(mutex_);
        return running_ ? std::optional<JobCounters>(running_->counters()) : std::nullopt;
    }

  private:
    void emit(WatchEvent e) {
        if (observer_) {
            observer_->on_watch_event(e);
        }
    }
    void emit(WatchEvent::Type type, std::string message, std::uint64_t count = 0) {
        WatchEvent e;
        e.type = type;
        e.message = std::move(message);
        e.count = count;
        emit(std::move(e));
    }

    asio::awaitable<void> sleep_until(Clock::time_point when) {
        timer_.expires_at(when);
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }

    // --- watches --------------------------------------------------------

    bool attach() {
        auto id = identity_of(root_);
        if (!id) {
            return false;
        }
        int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            fatal_ = sdk::errno_error("start inotify", errno);
            return false;
        }
        inotify_ = std::make_shared<asio::posix::stream_descriptor>(io_, fd);
        dirs_.clear();
        root_wd_ = -1;
        warned_limit_ = false;
        add_tree("");
        if (root_wd_ < 0) {
            detach_quietly();
            return false;
        }
        identity_ = *id;
        attached_ = true;
        asio::co_spawn(
            io_, [this, d = inotify_] { return read_events(d); }, asio::detached);
        return true;
    }

    void detach_quietly() {
        if (inotify_) {
            boost::system::error_code ignored;
            inotify_->close(ignored);
            inotify_.reset();
        }
        dirs_.clear();
        root_wd_ = -1;
        attached_ = false;
    }

    void lose(std::string why, bool unmounted) {
        if (!attached_) {
            return;
        }
        lost_by_unmount_ = unmounted;
        detach_quietly();
        pending_.clear();
        if (job_) {
            job_cancelled_for_loss_ = true;
            job_->cancel();
        }
        emit(WatchEvent::Type::folder_lost, sdk::display_path(root_.string()) + " " + why +
                                                ": waiting for it to come back (checking every " +
                                                std::to_string(options_.poll.count()) + " ms)");
        timer_.cancel();
    }

    // The folder counts as back once it is there again; if it was a mount
    // point that was unmounted, once something is mounted there again (the
    // empty folder left behind is not the share).
    [[nodiscard]] bool folder_back() const {
        auto id = identity_of(root_);
        if (!id) {
            return false;
        }
        return !(lost_by_unmount_ && identity_.mount_point && !id->mount_point);
    }

    void add_tree(const std::string& rel) {
        if (!inotify_) {
            return;
        }
        auto path = rel.empty() ? root_ : root_ / rel;
        int wd = ::inotify_add_watch(inotify_->native_handle(), path.c_str(), kDirMask);
        if (wd < 0) {
            if ((errno == ENOSPC || errno == ENOMEM) && !warned_limit_) {
                warned_limit_ = true;
                emit(WatchEvent::Type::warning,
                     "cannot watch more folders (inotify limit reached): new files in some "
                     "folders are only seen at the next change elsewhere; raise "
                     "fs.inotify.max_user_watches");
            }
            return;
        }
        auto [it, added] = dirs_.insert_or_assign(wd, rel);
        (void)it;
        if (rel.empty()) {
            root_wd_ = wd;
        } else if (!added) {
            return;  // the same folder again (a symlink loop): watched once
        }
        std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), &::closedir);
        if (!dir) {
            return;
        }
        std::vector<std::string> subdirs;
        while (auto* ent = ::readdir(dir.get())) {
            std::string name = ent->d_name;
            if (name == "." || name == ".." || (name.front() == '.' && !include_hidden_)) {
                continue;
            }
            bool is_dir = ent->d_type == DT_DIR;
            if (ent->d_type == DT_LNK || ent->d_type == DT_UNKNOWN) {
                struct stat st {};
                is_dir =
                    ::fstatat(::dirfd(dir.get()), ent->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
            }
            if (is_dir) {
                subdirs.push_back(join(rel, name));
            }
        }
        dir.reset();
        for (const auto& sub : subdirs) {
            add_tree(sub);
        }
    }

    void forget_tree(const std::string& rel) {
        for (auto it = dirs_.begin(); it != dirs_.end();) {
            if (it->first != root_wd_ && (it->second == rel || it->second.starts_with(rel + "/"))) {
                ::inotify_rm_watch(inotify_->native_handle(), it->first);
                it = dirs_.erase(it);
            } else {
                ++it;
            }
        }
    }

    asio::awaitable<void> read_events(std::shared_ptr<asio::posix::stream_descriptor> d) {
        std::vector<char> buf(64 * 1024);
        for (;;) {
            boost::system::error_code ec;
            auto n = co_await d->async_read_some(asio::buffer(buf),
                                                 asio::redirect_error(asio::use_awaitable, ec));
            if (ec || d != inotify_) {
                co_return;  // closed: the folder was lost, or the watch stopped
            }
            dispatch(buf.data(), n, d);
        }
    }

    // Not in the coroutine: inotify_event ends in a flexible array member.
    void dispatch(const char* buf, std::size_t n,
                  const std::shared_ptr<asio::posix::stream_descriptor>& d) {
        for (std::size_t off = 0; off + sizeof(inotify_event) <= n;) {
            inotify_event ev{};
            std::memcpy(&ev, buf + off, sizeof ev);
            std::string name;
            if (ev.len > 0) {
                name = std::string(buf + off + sizeof ev);  // NUL-padded
            }
            off += sizeof(inotify_event) + ev.len;
            handle(ev, name);
            if (d != inotify_) {
                return;  // lost: the rest is about watches that are gone
            }
        }
    }

    void handle(const inotify_event& ev, const std::string& name) {
        auto now = Clock::now();
        if ((ev.mask & IN_Q_OVERFLOW) != 0) {
            add_tree("");  // events were lost: watch whatever is new, and look again
            pending_[""] = now;
            timer_.cancel();
            return;
        }
        if (ev.wd == root_wd_) {
            if ((ev.mask & IN_UNMOUNT) != 0) {
                lose("was unmounted", true);
                return;
            }
            if ((ev.mask & (IN_DELETE_SELF | IN_IGNORED)) != 0) {
                lose("is gone", false);
                return;
            }
            if ((ev.mask & IN_MOVE_SELF) != 0) {
                auto id = identity_of(root_);
                if (!id || !(*id == identity_)) {
                    lose("was moved away", false);
                    return;
                }
            }
        }
        auto dir = dirs_.find(ev.wd);
        if (dir == dirs_.end()) {
            return;
        }
        if ((ev.mask & IN_IGNORED) != 0) {
            dirs_.erase(dir);
            return;
        }
        if (name.empty() || (name.front() == '.' && !include_hidden_)) {
            return;  // about the folder itself, or hidden (rsync's temporary files)
        }
        auto rel = join(dir->second, name);
        if ((ev.mask & IN_ISDIR) != 0) {
            if ((ev.mask & IN_MOVED_FROM) != 0) {
                forget_tree(rel);
                return;
            }
            if ((ev.mask & (IN_CREATE | IN_MOVED_TO)) != 0) {
                add_tree(rel);  // its files (if moved in) are found by the sync
            }
        } else if ((ev.mask & IN_MOVED_FROM) != 0) {
            return;  // a file leaving: nothing to upload
        }
        pending_[rel] = now;
        timer_.cancel();
    }

    // --- the loop -------------------------------------------------------

    asio::awaitable<void> run() {
        bool was_lost = false;
        for (;;) {
            if (stopping_ || fatal_) {
                break;
            }
            auto now = Clock::now();
            if (!attached_) {
                if (job_) {
                    co_await finish_job();
                    continue;
                }
                if (!folder_back() || !attach()) {
                    was_lost = true;
                    co_await sleep_until(now + options_.poll);
                    continue;
                }
                if (was_lost) {
                    emit(WatchEvent::Type::folder_back,
                         sdk::display_path(root_.string()) + " is back: catching up");
                }
                emit(WatchEvent::Type::watching, {}, dirs_.size());
                was_lost = false;
                catch_up_ = true;
                // Files too fresh for the catch-up had their events before
                // the watches existed: one more look once they have settled.
                follow_up_ = now + options_.settle;
                next_check_ = now + options_.poll;
            }
            if (now >= next_check_) {
                next_check_ = now + options_.poll;
                auto id = identity_of(root_);
                if (!id) {
                    lose("is gone", false);
                    continue;
                }
                if (!(*id == identity_)) {
                    lose("was replaced (something was mounted over it)", false);
                    continue;
                }
            }
            if (job_) {
                co_await finish_job();
                continue;
            }
            auto deadline = next_check_;
            bool due = catch_up_;
            for (auto at : {follow_up_, retry_at_}) {
                if (at) {
                    due = due || now >= *at;
                    deadline = std::min(deadline, *at);
                }
            }
            std::uint64_t changed = 0;
            for (const auto& [path, last] : pending_) {
                if (now - last >= options_.settle) {
                    due = true;
                    ++changed;
                }
                deadline = std::min(deadline, last + options_.settle);
            }
            if (!due) {
                co_await sleep_until(deadline);
                continue;
            }
            std::erase_if(pending_,
                          [&](const auto& p) { return now - p.second >= options_.settle; });
            if (follow_up_ && now >= *follow_up_) {
                follow_up_.reset();
            }
            catch_up_ = false;
            retry_at_.reset();
            start_job(changed);
        }
        if (job_) {
            co_await finish_job();
        }
        detach_quietly();
        timer_.cancel();
        {
            std::lock_guard lock(mutex_);
            result_.emplace(std::move(summary_));
            if (fatal_) {
                result_->error = fatal_;
            }
        }
        done_cv_.notify_all();
    }

    static bool is_fatal(const sdk::Error& e) {
        return e.kind == sdk::ErrorKind::auth || e.kind == sdk::ErrorKind::invalid_input ||
               e.kind == sdk::ErrorKind::internal;
    }

    void start_job(std::uint64_t changed) {
        emit(WatchEvent::Type::sync_started, {}, changed);
        auto job = engine_.start(spec_, job_observer_);
        if (!job) {
            WatchEvent e;
            e.type = WatchEvent::Type::sync_finished;
            e.error = job.error();
            emit(std::move(e));
            if (is_fatal(job.error()) && job.error().kind != sdk::ErrorKind::not_found) {
                fatal_ = job.error();
            }
            retry_at_ = Clock::now() + job.error().retry_after.value_or(options_.retry);
            return;
        }
        job_ = *job;
        {
            std::lock_guard lock(mutex_);
            running_ = job_;
        }
        job_cancelled_for_loss_ = false;
    }

    asio::awaitable<void> finish_job() {
        std::optional<JobReport> report;
        while (!(report = job_->report())) {
            co_await sleep_until(Clock::now() + std::chrono::milliseconds(50));
            if (stopping_) {
                job_->cancel();
            }
        }
        job_.reset();
        {
            std::lock_guard lock(mutex_);
            running_.reset();
        }
        if (job_cancelled_for_loss_) {
            catch_up_ = true;  // redone in full once the folder is back
            co_return;
        }
        ++summary_.syncs;
        summary_.files_uploaded += report->counters.files_done;
        if (report->state == JobState::cancelled) {
            summary_.interrupted_sync = stopping_;
        } else if (report->state != JobState::succeeded) {
            if (report->error && report->error->kind == sdk::ErrorKind::auth) {
                fatal_ = report->error;
            }
            auto delay = options_.retry;
            if (report->error && report->error->retry_after) {
                delay = *report->error->retry_after;
            }
            retry_at_ = Clock::now() + delay;
        }
        WatchEvent e;
        e.type = WatchEvent::Type::sync_finished;
        e.report = std::move(report);
        emit(std::move(e));
    }

    Engine& engine_;
    JobSpec spec_;
    WatchOptions options_;
    std::shared_ptr<WatchObserver> observer_;
    std::shared_ptr<JobObserver> job_observer_;
    fs::path root_;
    bool include_hidden_;

    asio::io_context io_;
    asio::steady_timer timer_;
    std::thread thread_;

    // Only touched on the watch's thread.
    std::shared_ptr<asio::posix::stream_descriptor> inotify_;
    std::map<int, std::string> dirs_;  // watch descriptor -> folder relative to the root
    int root_wd_ = -1;
    Identity identity_;
    bool attached_ = false;
    bool lost_by_unmount_ = false;
    bool warned_limit_ = false;
    bool stopping_ = false;
    bool catch_up_ = true;
    std::map<std::string, Clock::time_point> pending_;  // changed path -> last change
    std::optional<Clock::time_point> follow_up_, retry_at_;
    Clock::time_point next_check_{};
    std::shared_ptr<SyncJob> job_;
    bool job_cancelled_for_loss_ = false;
    std::optional<sdk::Error> fatal_;
    WatchResult summary_;

    mutable std::mutex mutex_;
    std::condition_variable done_cv_;
    std::optional<WatchResult> result_;
    std::shared_ptr<SyncJob> running_;  // job_, for current_counters() from other threads
};

}  // namespace

sdk::Result<std::shared_ptr<FolderWatch>> watch_folder(Engine& engine, JobSpec spec,
                                                       WatchOptions options,
                                                       std::shared_ptr<WatchObserver> observer,
                                                       std::shared_ptr<JobObserver> job_observer) {
    if (spec.source.plugin != "local") {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "watch needs a folder on this machine (the local source), not '" +
                             spec.source.plugin + "'");
    }
    if (spec.dry_run) {
        return sdk::fail(sdk::ErrorKind::invalid_input, "watch cannot be a dry run");
    }
    if (options.settle.count() < 0 || options.poll.count() <= 0 || options.retry.count() <= 0) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "watch: settle must be >= 0, poll and retry > 0");
    }
    fs::path root = fs::absolute(spec.source.config.location);
    if (!identity_of(root)) {
        return sdk::fail(sdk::ErrorKind::not_found,
                         "folder " + sdk::display_path(root.string()) +
                             " does not exist or is not a folder: check the path");
    }
    spec.source.config.options.insert_or_assign("settle_ms",
                                                std::to_string(options.settle.count()));
    bool include_hidden = false;
    if (auto it = spec.source.config.options.find("include_hidden");
        it != spec.source.config.options.end()) {
        include_hidden = it->second == "true" || it->second == "1" || it->second == "yes";
    }
    auto watcher =
        std::make_shared<Watcher>(engine, std::move(spec), options, std::move(observer),
                                  std::move(job_observer), std::move(root), include_hidden);
    watcher->start();
    return std::shared_ptr<FolderWatch>(watcher);
}

}  // namespace photosync::engine
