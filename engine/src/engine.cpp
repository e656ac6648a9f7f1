#include "photosync/engine/engine.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "stderr_log.hpp"
#include "sync_job.hpp"

namespace photosync::engine {

namespace asio = boost::asio;
namespace fs = std::filesystem;

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

// Member order is destruction order in reverse: jobs' coroutine frames (owned
// by the io_context) run plugin code, so the registry that keeps plugin
// libraries loaded is destroyed last; the blocking pool outlives io_context.
struct Engine::Impl {
    EngineOptions options;
    std::shared_ptr<sdk::LogSink> log;
    fs::path state_dir;
    PluginRegistry registry;
    asio::thread_pool blocking;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::vector<std::thread> threads;
    std::mutex jobs_mutex;
    std::vector<std::weak_ptr<SyncJob>> jobs;
    std::uint64_t next_job_id = 1;

    sdk::PluginContext context_for(const std::string& plugin);

    explicit Impl(EngineOptions opts)
        : options(std::move(opts)),
          log(options.log ? options.log : make_stderr_log(sdk::LogLevel::warn)),
          state_dir(options.state_dir.empty() ? default_state_dir() : options.state_dir),
          blocking(std::max(1U, options.blocking_threads)),
          io(),
          work(asio::make_work_guard(io)) {
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

    ~Impl() {
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
};

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
    std::lock_guard lock(impl_->jobs_mutex);
    std::erase_if(impl_->jobs, [](auto& w) { return w.expired(); });
    auto job =
        launch_sync_job(impl_->next_job_id++, std::move(spec),
                        JobParts{std::move(*source), std::move(*destination), impl_->log, {}},
                        impl_->io.get_executor(), std::move(observer));
    impl_->jobs.push_back(job);
    return job;
}

}  // namespace photosync::engine
