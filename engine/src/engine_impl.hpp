// Internal: the Engine's state, shared by engine.cpp and ledger_queries.cpp.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <thread>

#include "bandwidth_limiter.hpp"
#include "photosync/engine/engine.hpp"
#include "state_store.hpp"
#include "sync_job.hpp"

namespace photosync::engine {

namespace asio = boost::asio;
namespace fs = std::filesystem;

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
    std::shared_ptr<BandwidthLimiter> bandwidth;  // null: no engine-wide limit

    sdk::PluginContext context_for(const std::string& plugin);
    sdk::Result<void> open_ledger(const JobSpec& spec, JobParts& parts);

    explicit Impl(EngineOptions opts);
    ~Impl();
};

}  // namespace photosync::engine
