// photosync watch FOLDER ALBUM [--settle S] [--to DEST] [--jobs N] [--job NAME] [--json] ...
#include "watch_command.hpp"

#include <unistd.h>

#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <cmath>
#include <csignal>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "exit_codes.hpp"
#include "job_layers.hpp"
#include "json_output.hpp"
#include "photosync/engine/folder_watch.hpp"
#include "photosync/frontend/job_json.hpp"
#include "progress_display.hpp"

namespace photosync::cli {

void setup_watch(CLI::App& app, WatchCliOptions& o) {
    add_folder_job_flags(
        app, o,
        {"folder to watch (new files in it and below are uploaded)",
         "watch the named job of the config file ([jobs.NAME])",
         "source plugin that reads FOLDER (local only)",
         "machine-readable events and a summary per sync on stdout, one JSON object a line"});
    o.settle_flag =
        app.add_option(
               "--settle", o.settle,
               "seconds a file must go unchanged before it is uploaded (so files still being "
               "written are never sent half-done)")
            ->capture_default_str()
            ->check(CLI::Range(0.0, 3600.0));
    app.add_option("--poll", o.poll,
                   "seconds between looks for the folder when it is gone (an unmounted share)")
        ->capture_default_str()
        ->check(CLI::Range(0.05, 3600.0));
}

namespace {

// Flags win over [jobs.NAME], which wins over [defaults] (as for sync).
sdk::Result<WatchCliOptions> resolve(const GlobalOptions& global, WatchCliOptions o) {
    auto layers = resolve_folder_job(global, o);
    if (!layers) {
        return std::unexpected(std::move(layers.error()));
    }
    layers->pick(&JobSettings::settle, o.settle, o.settle_flag);
    if (o.folder.empty() || o.album.empty()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "watch needs a FOLDER and an ALBUM (or --job NAME from the config file)");
    }
    return o;
}

std::chrono::milliseconds millis(double seconds) {
    return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

std::string seconds_text(double s) {
    std::ostringstream out;
    out << s << " s";
    return out.str();
}

// Job events (--json only) and the watch's own lines. Called on engine and
// watch threads: one lock keeps lines whole.
class Printer final : public engine::JobObserver, public engine::WatchObserver {
  public:
    Printer(const GlobalOptions& global, const WatchCliOptions& o)
        : json_(o.json),
          quiet_(global.verbosity < 0),
          album_(o.album),
          folder_(o.folder),
          settle_(o.settle) {}

    void on_event(const engine::JobEvent& e) noexcept override {
        if (!json_ || e.type == engine::JobEvent::Type::finished) {
            return;
        }
        std::lock_guard lock(mutex_);
        std::cout << event_json(e) << std::endl;
    }

    void on_watch_event(const engine::WatchEvent& e) noexcept override {
        std::lock_guard lock(mutex_);
        using T = engine::WatchEvent::Type;
        if (json_) {
            if (e.type == T::sync_finished && e.report) {
                std::cout << summary_json(*e.report, album_, false) << std::endl;
                return;
            }
            std::cout << frontend::dump_json(frontend::watch_event_fields(e)) << std::endl;
            return;
        }
        switch (e.type) {
            case T::watching:
                if (!quiet_) {
                    std::cout << "watching " << sdk::display_path(folder_) << " (" << e.count
                              << (e.count == 1 ? " folder" : " folders")
                              << "): new photos and videos go to '" << album_
                              << "' once unchanged for " << seconds_text(settle_)
                              << "; Ctrl-C stops" << std::endl;
                }
                break;
            case T::sync_started:
                break;
            case T::sync_finished:
                if (e.error) {
                    std::cerr << "photosync: " << e.error->message << std::endl;
                } else if (e.report) {
                    const auto& r = *e.report;
                    if (r.error) {
                        std::cerr << "photosync: " << r.error->message << std::endl;
                    }
                    // A look that found nothing new says nothing.
                    bool news = r.counters.files_found > 0 || r.failures_total > 0 ||
                                r.state != engine::JobState::succeeded;
                    if (news && (!quiet_ || r.state != engine::JobState::succeeded) &&
                        r.state != engine::JobState::cancelled) {
                        std::cout << summary(r, album_) << std::flush;
                    }
                }
                break;
            case T::folder_lost:
            case T::folder_back:
            case T::warning:
                std::cerr << "photosync: " << e.message << std::endl;
                break;
        }
    }

  private:
    std::mutex mutex_;
    bool json_, quiet_;
    std::string album_, folder_;
    double settle_;
};

// Ctrl-C (or SIGTERM from systemd) stops the watch; a second one exits at once.
class StopOnSignal {
  public:
    StopOnSignal(const boost::asio::any_io_executor& ex, std::shared_ptr<engine::FolderWatch> w)
        : state_(std::make_shared<State>(ex, std::move(w))) {
        arm(state_);
    }
    ~StopOnSignal() {
        boost::system::error_code ignored;
        state_->signals.cancel(ignored);
    }

  private:
    struct State {
        State(const boost::asio::any_io_executor& ex, std::shared_ptr<engine::FolderWatch> w)
            : signals(ex, SIGINT, SIGTERM), watch(std::move(w)) {}
        boost::asio::signal_set signals;
        std::shared_ptr<engine::FolderWatch> watch;
        std::atomic<int> count{0};
    };
    static void arm(const std::shared_ptr<State>& s) {
        s->signals.async_wait([s](const boost::system::error_code& ec, int) {
            if (ec) {
                return;
            }
            if (s->count.fetch_add(1) > 0) {
                ::_exit(kExitInterrupted);
            }
            static constexpr char msg[] =
                "\nphotosync: stopping the watch (press Ctrl-C again to quit at once)\n";
            (void)::write(STDERR_FILENO, msg, sizeof msg - 1);
            s->watch->stop();
            arm(s);
        });
    }
    std::shared_ptr<State> state_;
};

}  // namespace

int run_watch(const GlobalOptions& global, const WatchCliOptions& flags) {
    auto resolved = resolve(global, flags);
    if (!resolved) {
        std::cerr << "photosync: " << resolved.error().message << "\n";
        return kExitUsage;
    }
    const WatchCliOptions& o = *resolved;
    auto endpoints = folder_job_endpoints(global, o, o.folder);
    if (!endpoints) {
        std::cerr << "photosync: " << endpoints.error().message << "\n";
        return kExitUsage;
    }
    engine::JobSpec spec{std::move(endpoints->source),
                         std::move(endpoints->destination),
                         o.album,
                         o.jobs,
                         false,
                         o.include,
                         o.exclude};
    engine::WatchOptions options;
    options.settle = millis(o.settle);
    options.poll = millis(o.poll);

    // One limit for the whole process, as for sync.
    auto eopts = engine_options(global, o.bwlimit);
    if (!eopts) {
        std::cerr << "photosync: " << eopts.error().message << "\n";
        return kExitUsage;
    }
    engine::Engine engine(std::move(*eopts));
    auto printer = std::make_shared<Printer>(global, o);
    auto watch = engine::watch_folder(engine, std::move(spec), options, printer, printer);
    if (!watch) {
        std::cerr << "photosync: " << watch.error().message << "\n";
        return kExitUsage;
    }
    StopOnSignal signals(engine.executor(), *watch);
    auto result = (*watch)->wait();
    if (result.error) {
        std::cerr << "photosync: " << result.error->message << "\n";
        int code = exit_code_for(*result.error);
        return code == kExitUsage ? kExitItemsFailed : code;
    }
    if (!o.json && global.verbosity >= 0) {
        std::cout << "stopped watching: " << result.files_uploaded
                  << (result.files_uploaded == 1 ? " file" : " files") << " uploaded in "
                  << result.syncs << (result.syncs == 1 ? " sync" : " syncs") << std::endl;
    }
    return result.interrupted_sync ? kExitInterrupted : kExitOk;
}

}  // namespace photosync::cli
