// photosync sync FOLDER ALBUM [--to DEST] [--jobs N]
#include <unistd.h>

#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <mutex>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "progress_display.hpp"

namespace photosync::cli {

void setup_sync(CLI::App& app, SyncOptions& o) {
    app.add_option("FOLDER", o.folder, "folder of photos and videos to upload")->required();
    app.add_option("ALBUM", o.album,
                   "album to put them in (created if missing, reused if it exists)")
        ->required();
    app.add_option("--to", o.to,
                   "destination: PLUGIN or PLUGIN:LOCATION, e.g. gphotos, folder:/srv/photos")
        ->capture_default_str();
    app.add_option("--from", o.from, "source plugin that reads FOLDER")->capture_default_str();
    app.add_option("-o,--option", o.dest_options,
                   "destination option KEY=VALUE (repeatable; 'photosync plugins -v' lists them)");
    app.add_option("--source-option", o.source_options, "source option KEY=VALUE (repeatable)");
    app.add_option("--include", o.include,
                   "only items matching this glob (repeatable; no '/': file name, else path)");
    app.add_option("--exclude", o.exclude, "skip items matching this glob (repeatable; wins)");
    app.add_flag("-n,--dry-run", o.dry_run,
                 "show what would be uploaded; change nothing (no album is created)");
    app.add_option(
           "-j,--jobs", o.jobs,
           "items uploaded at once (default " + std::to_string(engine::kDefaultConcurrency) + ")")
        ->check(CLI::Range(std::size_t{1}, engine::kMaxConcurrency));
}

namespace {

// Ctrl-C (or SIGTERM from cron/systemd) cancels the job; a second one exits at once.
class InterruptHandler {
  public:
    InterruptHandler(const boost::asio::any_io_executor& ex, std::shared_ptr<engine::SyncJob> job)
        : state_(std::make_shared<State>(ex, std::move(job))) {
        arm(state_);
    }
    ~InterruptHandler() {
        boost::system::error_code ignored;
        state_->signals.cancel(ignored);
    }
    [[nodiscard]] bool interrupted() const { return state_->count.load() > 0; }

  private:
    struct State {
        State(const boost::asio::any_io_executor& ex, std::shared_ptr<engine::SyncJob> j)
            : signals(ex, SIGINT, SIGTERM), job(std::move(j)) {}
        boost::asio::signal_set signals;
        std::shared_ptr<engine::SyncJob> job;
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
                "\nphotosync: stopping (press Ctrl-C again to quit at once)\n";
            (void)::write(STDERR_FILENO, msg, sizeof msg - 1);
            s->job->cancel();
            arm(s);
        });
    }
    std::shared_ptr<State> state_;
};

// --dry-run lists what would go up, one path a line.
class PlannedPrinter final : public engine::JobObserver {
  public:
    void on_event(const engine::JobEvent& e) noexcept override {
        if (e.type == engine::JobEvent::Type::planned) {
            std::lock_guard lock(mutex_);
            std::cout << "would upload: " << sdk::display_path(e.path) << " ("
                      << human_bytes(e.bytes) << ")\n";
        }
    }

  private:
    std::mutex mutex_;
};

}  // namespace

int run_sync(const GlobalOptions& global, const SyncOptions& o) {
    auto destination = engine::Endpoint::parse(o.to);
    if (!destination) {
        std::cerr << "photosync: " << destination.error().message << "\n";
        return kExitUsage;
    }
    auto source = engine::Endpoint::parse(o.from);
    if (!source) {
        std::cerr << "photosync: " << source.error().message << "\n";
        return kExitUsage;
    }
    source->config.location = o.folder;
    for (auto [flags, config] : {std::pair{&o.dest_options, &destination->config},
                                 std::pair{&o.source_options, &source->config}}) {
        if (auto applied = apply_plugin_options(*flags, *config); !applied) {
            std::cerr << "photosync: " << applied.error().message << "\n";
            return kExitUsage;
        }
    }
    if (o.album.empty()) {
        std::cerr << "photosync: the album name is empty: give a title, e.g. \"Trip 2026\"\n";
        return kExitUsage;
    }

    engine::Engine engine(engine_options(global));
    engine::JobSpec spec{
        std::move(*source), std::move(*destination), o.album, o.jobs, o.dry_run, o.include,
        o.exclude};
    auto planned = o.dry_run ? std::make_shared<PlannedPrinter>() : nullptr;
    auto job = engine.start(std::move(spec), planned);
    if (!job) {
        std::cerr << "photosync: " << job.error().message << "\n";
        return exit_code_for(job.error());
    }
    InterruptHandler interrupts(engine.executor(), *job);
    ProgressDisplay progress(stderr, ::isatty(STDERR_FILENO) == 1, global.verbosity < 0);
    std::optional<engine::JobReport> report;
    while (!(report = (*job)->wait_for(std::chrono::milliseconds(100)))) {
        progress.update((*job)->counters());
    }
    progress.finish();
    if (report->error) {
        std::cerr << "photosync: " << report->error->message << "\n";
    }
    if (o.dry_run) {
        const auto& c = report->counters;
        std::cout << "dry run: would upload " << c.files_found << " files ("
                  << human_bytes(c.bytes_found) << ") into '" << o.album << "'; "
                  << c.files_unchanged << " unchanged, " << report->failures_total
                  << " unreadable\n";
    } else if (global.verbosity >= 0 || report->state != engine::JobState::succeeded) {
        std::cout << summary(*report, o.album) << std::flush;
    }
    return exit_code_for(*report);
}

}  // namespace photosync::cli
