// What every part of the server shares: the engine, the options, the token,
// the path policy, the jobs and their events. Sessions hold it by shared_ptr.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "connection_set.hpp"
#include "event_hub.hpp"
#include "job_registry.hpp"
#include "path_policy.hpp"
#include "photosync/engine/engine.hpp"
#include "photosync/server/server.hpp"

namespace photosync::server {

struct ServerContext {
    ServerContext(engine::Engine& e, ServerOptions o, std::string t, PathPolicy p)
        : engine(e),
          options(std::move(o)),
          token(std::move(t)),
          paths(std::move(p)),
          events(std::make_shared<EventHub>()),
          jobs(e, events, options.max_finished_jobs) {}

    engine::Engine& engine;
    const ServerOptions options;
    const std::string token;
    const PathPolicy paths;
    std::shared_ptr<EventHub> events;
    JobRegistry jobs;
    ConnectionSet connections;
    // Engine calls that block (opening the ledger, reading it) run here, so
    // the engine's threads never wait on them.
    boost::asio::thread_pool blocking{2};
    std::atomic<bool> stopping{false};
    std::atomic<bool> tick_requested{false};  // a job finished: the ticker runs at once
};

}  // namespace photosync::server
