// photosync sync FOLDER ALBUM [--to DEST] [--jobs N] [--job NAME] [--json] [--dry-run] ...
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "job_layers.hpp"
#include "json_output.hpp"
#include "progress_display.hpp"
#include "request_plan.hpp"

namespace photosync::cli {

void setup_sync(CLI::App& app, SyncOptions& o) {
    add_folder_job_flags(
        app, o,
        {"folder of photos and videos to upload",
         "run the named job of the config file ([jobs.NAME])", "source plugin that reads FOLDER",
         "machine-readable events and summary on stdout, one JSON object a line"});
    o.move_to_flag = app.add_option("--move-to", o.move_to,
                                    "after upload, move each file once it is in the album to the "
                                    "same relative path under DIR (never overwrites)")
                         ->type_name("DIR");
    o.delete_flag =
        app.add_flag("--delete-after-upload", o.delete_after_upload,
                     "after upload, delete each file once the album's listing shows it");
    app.add_flag("-n,--dry-run", o.dry_run,
                 "show what would be uploaded; change nothing (no album is created)");
    app.add_flag("--album-per-folder", o.album_per_folder,
                 "one album per subfolder of FOLDER; ALBUM (default \"{folder}\") names them, "
                 "with {folder} and {parent}; files directly in FOLDER go to the album for FOLDER");
    app.add_option("--max-requests-per-day", o.max_requests_per_day,
                   "Google Photos API requests this machine may send per day (default 10000, "
                   "Google's quota per OAuth client; lower it when machines share a client id)")
        ->type_name("N");
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

// Flags win over [jobs.NAME], which wins over [defaults].
sdk::Result<SyncOptions> resolve(const GlobalOptions& global, SyncOptions o) {
    auto layers = resolve_folder_job(global, o);
    if (!layers) {
        return std::unexpected(std::move(layers.error()));
    }
    layers->pick(&JobSettings::move_to, o.move_to, o.move_to_flag);
    layers->pick(&JobSettings::delete_after_upload, o.delete_after_upload, o.delete_flag);
    if (o.album_per_folder && o.album.empty()) {
        o.album = "{folder}";
    }
    if (o.folder.empty() || o.album.empty()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "sync needs a FOLDER and an ALBUM (or --job NAME from the config file)");
    }
    return o;
}

// --json and --dry-run speak through job events.
class EventPrinter final : public engine::JobObserver {
  public:
    EventPrinter(bool json, bool dry_run) : json_(json), dry_run_(dry_run) {}
    void on_event(const engine::JobEvent& e) noexcept override {
        std::lock_guard lock(mutex_);
        if (e.type == engine::JobEvent::Type::planned && e.bytes >= large_at) {
            ++large_planned;  // the quota planner counts resumable uploads one by one
        }
        if (json_) {
            std::cout << event_json(e) << "\n";
        } else if (dry_run_ && e.type == engine::JobEvent::Type::planned) {
            std::cout << "would upload: " << sdk::display_path(e.path) << " ("
                      << human_bytes(e.bytes) << ")\n";
        }
    }

    std::uint64_t large_at = UINT64_MAX;          // the resumable threshold
    std::atomic<std::uint64_t> large_planned{0};  // read once the job has finished

  private:
    std::mutex mutex_;
    bool json_, dry_run_;
};

}  // namespace

namespace {

// One folder into one album; returns the exit code for it.
int run_job(engine::Engine& engine, const GlobalOptions& global, const SyncOptions& o,
            const std::string& folder, const std::string& album,
            const std::vector<std::string>& extra_source_options) {
    auto endpoints = folder_job_endpoints(global, o, folder, extra_source_options);
    if (!endpoints) {
        std::cerr << "photosync: " << endpoints.error().message << "\n";
        return kExitUsage;
    }
    auto& source = endpoints->source;
    auto& destination = endpoints->destination;
    if (o.max_requests_per_day) {
        if (destination.plugin != "gphotos") {
            std::cerr << "photosync: --max-requests-per-day is for the gphotos destination (this "
                         "run goes to '"
                      << destination.plugin << "'): leave it out\n";
            return kExitUsage;
        }
        destination.config.options.insert_or_assign("max_requests_per_day",
                                                    std::to_string(*o.max_requests_per_day));
    }
    const auto planning = plan_settings(destination.plugin, destination.config.options);
    engine::JobSpec spec{
        std::move(source), std::move(destination), album, o.jobs, o.dry_run, o.include, o.exclude};
    spec.move_to = o.move_to;
    spec.delete_after_upload = o.delete_after_upload;
    spec.census = planning.has_value() && !o.dry_run;  // for the plan line
    std::shared_ptr<EventPrinter> printer;
    if (o.json || o.dry_run) {
        printer = std::make_shared<EventPrinter>(o.json, o.dry_run);
        printer->large_at = planning ? planning->resumable_threshold : UINT64_MAX;
    }
    auto job = engine.start(std::move(spec), printer);
    if (!job) {
        std::cerr << "photosync: " << job.error().message << "\n";
        return exit_code_for(job.error());
    }
    InterruptHandler interrupts(engine.executor(), *job);
    bool terminal = ::isatty(STDERR_FILENO) == 1;
    ProgressDisplay progress(stderr, terminal, global.verbosity < 0 || o.json);
    auto last_json = std::chrono::steady_clock::now();
    // The quota planner: what the run costs, once the scan has counted it.
    std::optional<RequestPlan> plan;
    // A live run's look ahead (JobSpec::census) counts the files long before
    // a big run's scan ends (it waits on the uploads).
    auto plan_once = [&](const engine::JobCounters& c) {
        const bool from_census = !c.scan_complete && c.census_complete;
        if (plan || !planning || !(c.scan_complete || from_census)) {
            return;
        }
        const auto files = from_census ? c.census_files : c.files_found;
        const auto bytes = from_census ? c.census_bytes : c.bytes_found;
        auto large = o.dry_run && printer
                         ? printer->large_planned.load()
                         : large_files_at_most(files, bytes, planning->resumable_threshold);
        plan = plan_requests(files, large, planning->per_day);
        if (!o.json && !o.dry_run && global.verbosity >= 0 &&
            plan_worth_saying(*plan, global.verbosity > 0)) {
            std::cerr << (terminal ? "\r\033[K" : "") << plan_line(*plan) << "\n" << std::flush;
        }
    };
    std::optional<engine::JobReport> report;
    while (!(report = (*job)->wait_for(std::chrono::milliseconds(100)))) {
        plan_once((*job)->counters());
        progress.update((*job)->counters());
        if (o.json && std::chrono::steady_clock::now() - last_json > std::chrono::seconds(1)) {
            last_json = std::chrono::steady_clock::now();
            std::cout << progress_json((*job)->counters()) << std::endl;
        }
    }
    if (!o.dry_run && (!report->error || report->error->kind == sdk::ErrorKind::quota_exhausted)) {
        plan_once(report->counters);  // a run quicker than the first look
    }
    progress.finish(report->counters);
    if (report->error) {
        std::cerr << "photosync: " << report->error->message << "\n";
    }
    if (o.json) {
        std::cout << summary_json(*report, album, o.dry_run) << std::endl;
    } else if (o.dry_run) {
        const auto& c = report->counters;
        std::cout << "dry run: would upload " << c.files_found << " files ("
                  << human_bytes(c.bytes_found) << ") into '" << album << "'; " << c.files_unchanged
                  << " unchanged, " << report->failures_total << " unreadable\n";
        plan.reset();  // now that every planned item has been counted
        if (plan_once(report->counters); plan && plan->files > 0) {
            std::cout << plan_line(*plan) << "\n";
        }
    } else if (report->state == engine::JobState::succeeded && report->counters.files_found == 0 &&
               report->counters.files_unchanged == 0 && report->failures_total == 0 &&
               !o.album_per_folder) {
        // Not "0 of 0 files uploaded into ALBUM": nothing went anywhere, and
        // the folder may well be the wrong one.
        if (global.verbosity >= 0) {
            std::cout << "nothing to upload: no photos or videos in " << sdk::display_path(folder)
                      << " (hidden files, sidecars and other files are skipped)\n"
                      << std::flush;
        }
    } else if (global.verbosity >= 0 || report->state != engine::JobState::succeeded) {
        std::cout << summary(*report, album) << std::flush;
    }
    return exit_code_for(*report);
}

std::string render_album(std::string tmpl, const std::string& folder, const std::string& parent) {
    for (auto [key, value] :
         {std::pair{std::string("{folder}"), folder}, std::pair{std::string("{parent}"), parent}}) {
        for (auto pos = tmpl.find(key); pos != std::string::npos;
             pos = tmpl.find(key, pos + value.size())) {
            tmpl.replace(pos, key.size(), value);
        }
    }
    return tmpl;
}

// Which exit code wins when several albums ran: the one that needs most attention.
int worse(int a, int b) {
    auto rank = [](int code) {
        switch (code) {
            case kExitInterrupted:
                return 5;
            case kExitAuth:
                return 4;
            case kExitQuota:
                return 3;
            case kExitUsage:
                return 2;
            case kExitItemsFailed:
                return 1;
            default:
                return 0;
        }
    };
    return rank(b) > rank(a) ? b : a;
}

}  // namespace

int run_sync(const GlobalOptions& global, const SyncOptions& flags) {
    auto resolved = resolve(global, flags);
    if (!resolved) {
        std::cerr << "photosync: " << resolved.error().message << "\n";
        return kExitUsage;
    }
    const SyncOptions& o = *resolved;
    // One limit for the whole process: every upload of every album shares it.
    auto options = engine_options(global, o.bwlimit);
    if (!options) {
        std::cerr << "photosync: " << options.error().message << "\n";
        return kExitUsage;
    }
    engine::Engine engine(std::move(*options));
    if (!o.album_per_folder) {
        return run_job(engine, global, o, o.folder, o.album, {});
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path root = fs::absolute(o.folder, ec);
    if (!fs::is_directory(root, ec)) {
        std::cerr << "photosync: folder " << sdk::display_path(root.string())
                  << " does not exist or is not a folder: check the path\n";
        return kExitUsage;
    }
    std::string parent = root.filename().string();
    std::vector<std::string> subfolders;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        if (!name.starts_with('.') && it->is_directory(ec)) {
            subfolders.push_back(name);
        }
    }
    std::ranges::sort(subfolders);
    // Files directly in FOLDER: its own album, without descending.
    int code = run_job(engine, global, o, root.string(), render_album(o.album, parent, parent),
                       {"max_depth=0"});
    for (const auto& sub : subfolders) {
        if (code == kExitInterrupted) {
            break;
        }
        // Each subfolder's files keep their place under DIR/SUBFOLDER.
        SyncOptions per_folder = o;
        if (!o.move_to.empty()) {
            per_folder.move_to = (fs::path(o.move_to) / sub).string();
        }
        code = worse(code, run_job(engine, global, per_folder, (root / sub).string(),
                                   render_album(o.album, sub, parent), {}));
    }
    return code;
}

}  // namespace photosync::cli
