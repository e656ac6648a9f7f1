// Runs the handler a request goes to (route_match.hpp decides which).
#pragma once

#include <memory>

#include "http_types.hpp"
#include "photosync/sdk/asio.hpp"
#include "server_context.hpp"

namespace photosync::server {

struct Routed {
    Response response;
    bool event_stream = false;  // GET /api/events, authorised: the session streams instead
    Request request;            // for the event stream: its headers and query
};

sdk::awaitable<Routed> route(std::shared_ptr<ServerContext> ctx, Request request);

}  // namespace photosync::server
