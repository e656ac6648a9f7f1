// GET /api/events: a Server-Sent Events stream of the jobs' events.
//
// First a "snapshot" event (every job), then each event as it happens:
// "job" (created, or ended with its final counts), "progress" (counters and
// rate, a few times a second while a job runs), and the engine's own events
// (album_ready, item_uploaded, item_added, item_failed, scan_problem,
// would_upload, scan_complete, finished). Each carries an id: a client that
// reconnects with Last-Event-ID (or ?since=N) resumes where it left off; one
// too far behind gets a fresh "snapshot". "?items=0" leaves out the per-item
// events. A comment line every 15 s keeps proxies from closing the stream.
#pragma once

#include <memory>

#include "connection_set.hpp"
#include "http_types.hpp"
#include "photosync/sdk/asio.hpp"
#include "server_context.hpp"

namespace photosync::server {

sdk::awaitable<void> run_event_stream(std::shared_ptr<ServerContext> ctx,
                                      std::shared_ptr<Connection> conn, Request request);

}  // namespace photosync::server
