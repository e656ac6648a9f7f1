// One client connection: reads requests (a new parser for each, with header
// and body limits and a timeout), answers them in order, keeps the
// connection alive when asked. A request that breaks the rules gets its
// error response and the connection is closed; the server goes on.
#pragma once

#include <memory>

#include "connection_set.hpp"
#include "photosync/sdk/asio.hpp"
#include "server_context.hpp"

namespace photosync::server {

sdk::awaitable<void> run_http_session(std::shared_ptr<ServerContext> ctx,
                                      std::shared_ptr<Connection> conn);

// Answers 503 and closes (too many connections).
sdk::awaitable<void> refuse_connection(std::shared_ptr<ServerContext> ctx,
                                       std::shared_ptr<Connection> conn);

}  // namespace photosync::server
