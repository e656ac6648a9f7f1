#include "photosync/engine/engine.hpp"

#include <cstdlib>

#include "after_upload.hpp"
#include "engine_impl.hpp"
#include "stderr_log.hpp"

namespace photosync::engine {

namespace {

fs::path default_state_dir() {
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg == '/') {
        return fs::path(xdg) / "photosync";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return fs::path(home) / ".local" / "state" / "photosync";
    }
    return fs::temp_directory_path() / "photosync-state";
}

unsigned default_io_threads() {
    unsigned n = std::thread::hardware_concurrency();
    return std::clamp(n == 0 ? 2U : n, 2U, 4U);
}

}  // namespace

Engine::Impl::Impl(EngineOptions opts)
    : options(std::move(opts)),
      log(options.log ? options.log : make_stderr_log(sdk::LogLevel::warn)),
      state_dir(options.state_dir.empty() ? default_state_dir() : options.state_dir),
      blocking(std::max(1U, options.blocking_threads)),
      io(),
      work(asio::make_work_guard(io)),
      bandwidth(options.bandwidth.unlimited()
                    ? nullptr
                    : std::make_shared<BandwidthLimiter>(options.bandwidth)) {
    std::vector<fs::path> dirs = options.plugin_dirs;
    if (options.standard_plugin_dirs) {
        const char* env = std::getenv("PHOTOSYNC_PLUGIN_PATH");
        dirs = standard_plugin_dirs(options.plugin_dirs, env == nullptr ? "" : env);
    }
    registry = PluginRegistry::discover(dirs);
    for (const auto& p : registry.problems()) {
        log->debug(p.message);
    }
    unsigned n = options.io_threads == 0 ? default_io_threads() : options.io_threads;
    for (unsigned i = 0; i < n; ++i) {
        threads.emplace_back([this] { io.run(); });
    }
}

Engine::Impl::~Impl() {
    std::vector<std::shared_ptr<SyncJob>> live;
    {
        std::lock_guard lock(jobs_mutex);
        for (auto& w : jobs) {
            if (auto j = w.lock()) {
                live.push_back(std::move(j));
            }
        }
    }
    for (auto& j : live) {
        j->cancel();
    }
    for (auto& j : live) {
        (void)j->wait();
    }
    live.clear();
    work.reset();
    io.stop();
    for (auto& t : threads) {
        t.join();
    }
    blocking.join();
}

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Engine::~Engine() = default;

const PluginRegistry& Engine::plugins() const noexcept {
    return impl_->registry;
}

asio::any_io_executor Engine::executor() const {
    return impl_->io.get_executor();
}

const fs::path& Engine::state_dir() const noexcept {
    return impl_->state_dir;
}

sdk::LogSink& Engine::log() const noexcept {
    return *impl_->log;
}

sdk::PluginContext Engine::Impl::context_for(const std::string& plugin) {
    return sdk::PluginContext{io.get_executor(), blocking.get_executor(), log.get(),
                              state_dir / "plugins" / plugin};
}

sdk::Result<std::shared_ptr<sdk::Authenticator>> Engine::authenticator(const Endpoint& endpoint) {
    return impl_->registry.make_authenticator(endpoint.plugin, impl_->context_for(endpoint.plugin),
                                              endpoint.config);
}

// The job's ledger, its lock and its run record, before anything is uploaded:
// a read-only or full state dir, a corrupt state file or a concurrent run of
// the same album stops here with one clear line.
sdk::Result<void> Engine::Impl::open_ledger(const JobSpec& spec, JobParts& parts) {
    TargetKey key{parts.source->describe(), parts.destination->describe(), spec.album};
    auto file = StateStore::file_in(state_dir);
    if (spec.dry_run) {
        auto store = StateStore::open_existing(file);
        if (!store) {
            if (store.error().kind == sdk::ErrorKind::not_found) {
                return {};  // nothing synced yet: everything is new
            }
            return std::unexpected(store.error());
        }
        auto target = store->find_target(key);
        if (!target) {
            return std::unexpected(target.error());
        }
        parts.target = target->value_or(0);
        parts.store = std::move(*store);
        return {};
    }
    auto store = StateStore::open(file);
    if (!store) {
        return std::unexpected(store.error());
    }
    auto target = store->target(key);
    if (!target) {
        return std::unexpected(target.error());
    }
    auto lock =
        TargetLock::acquire(state_dir / "locks" / ("target-" + std::to_string(*target) + ".lock"),
                            "album '" + spec.album + "' from " + key.source);
    if (!lock) {
        return std::unexpected(lock.error());
    }
    auto run = store->begin_run(*target);
    if (!run) {
        return std::unexpected(run.error());
    }
    parts.store = std::move(*store);
    parts.target = *target;
    parts.run = *run;
    parts.lock = std::move(*lock);
    return {};
}

sdk::Result<std::shared_ptr<SyncJob>> Engine::start(JobSpec spec,
                                                    std::shared_ptr<JobObserver> observer) {
    auto context = [&](const std::string& plugin) { return impl_->context_for(plugin); };
    auto source = impl_->registry.make_source(spec.source.plugin, context(spec.source.plugin),
                                              spec.source.config);
    if (!source) {
        return std::unexpected(source.error());
    }
    auto destination = impl_->registry.make_destination(
        spec.destination.plugin, context(spec.destination.plugin), spec.destination.config);
    if (!destination) {
        return std::unexpected(destination.error());
    }
    if (auto after = check_after_upload(spec, **source); !after) {
        return std::unexpected(after.error());
    }
    JobParts parts{std::move(*source), std::move(*destination), impl_->log, {}, {}, 0, 0, {}, {}};
    if (impl_->bandwidth) {
        parts.bandwidth.push_back(impl_->bandwidth);
    }
    if (spec.bwlimit && !spec.bwlimit->unlimited()) {
        parts.bandwidth.push_back(std::make_shared<BandwidthLimiter>(*spec.bwlimit));
    }
    if (auto ledger = impl_->open_ledger(spec, parts); !ledger) {
        return std::unexpected(ledger.error());
    }
    std::lock_guard lock(impl_->jobs_mutex);
    std::erase_if(impl_->jobs, [](auto& w) { return w.expired(); });
    auto job = launch_sync_job(impl_->next_job_id++, std::move(spec), std::move(parts),
                               impl_->io.get_executor(), std::move(observer));
    impl_->jobs.push_back(job);
    return job;
}

}  // namespace photosync::engine
