// Which handler a request goes to. Every /api path needs the bearer token
// (checked first, so an unauthorised client learns nothing, not even which
// paths exist); page files do not. Unknown paths: 404; known paths with
// another method: 405 with Allow.
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
