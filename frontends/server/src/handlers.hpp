// The REST resources: one handler per method and path (docs/server-api.md).
// Each takes the request by value and returns the response; engine calls
// that block run on the server's blocking pool.
#pragma once

#include <cstdint>
#include <memory>

#include "http_types.hpp"
#include "photosync/sdk/asio.hpp"
#include "server_context.hpp"

namespace photosync::server {

using Context = std::shared_ptr<ServerContext>;

// Jobs (job_handlers.cpp).
sdk::awaitable<Response> create_job(Context ctx, Request request);
sdk::awaitable<Response> list_jobs(Context ctx, Request request);
sdk::awaitable<Response> get_job(Context ctx, Request request, std::uint64_t id);
sdk::awaitable<Response> cancel_job(Context ctx, Request request, std::uint64_t id);

// What the server knows besides jobs (catalog_handlers.cpp).
sdk::awaitable<Response> list_plugins(Context ctx, Request request);
sdk::awaitable<Response> list_albums(Context ctx, Request request, std::string album);
sdk::awaitable<Response> server_info(Context ctx, Request request);

}  // namespace photosync::server
