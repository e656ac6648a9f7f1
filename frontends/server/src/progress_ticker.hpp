// A few times a second: the jobs' rates and "progress" events, and the
// final "job" event of each job that ended (at once when a job says it
// finished). Runs on the engine's executor until the server stops.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "photosync/sdk/asio.hpp"
#include "server_context.hpp"

namespace photosync::server {

sdk::awaitable<void> run_progress_ticker(std::shared_ptr<ServerContext> ctx,
                                         std::shared_ptr<boost::asio::steady_timer> timer);

}  // namespace photosync::server
