#include "router.hpp"

#include <optional>
#include <variant>

#include "handlers.hpp"
#include "responses.hpp"
#include "route_match.hpp"

namespace photosync::server {

namespace {

// The handler for a request, not yet run (or the answer when there is no handler).
struct Selected {
    std::optional<Response> ready;
    std::optional<sdk::awaitable<Response>> pending;
    bool event_stream = false;
};

Selected select(const std::shared_ptr<ServerContext>& ctx, Request& req) {
    auto matched = match_route(req, ctx->token);
    if (auto* response = std::get_if<Response>(&matched)) {
        return {std::move(*response)};
    }
    auto& m = std::get<RouteMatch>(matched);
    auto run = [](sdk::awaitable<Response> a) {
        Selected s;
        s.pending.emplace(std::move(a));
        return s;
    };
    switch (m.resource) {
        case Resource::list_jobs:
            return run(list_jobs(ctx, std::move(req)));
        case Resource::create_job:
            return run(create_job(ctx, std::move(req)));
        case Resource::get_job:
            return run(get_job(ctx, std::move(req), m.job_id));
        case Resource::cancel_job:
            return run(cancel_job(ctx, std::move(req), m.job_id));
        case Resource::list_plugins:
            return run(list_plugins(ctx, std::move(req)));
        case Resource::list_albums:
            return run(list_albums(ctx, std::move(req), std::move(m.album)));
        case Resource::server_info:
            return run(server_info(ctx, std::move(req)));
        case Resource::events: {
            Selected s;
            s.event_stream = true;
            return s;
        }
    }
    return {error_response(req.version(), http::status::internal_server_error,
                           "internal error: no handler", "internal")};
}

}  // namespace

sdk::awaitable<Routed> route(std::shared_ptr<ServerContext> ctx, Request req) {
    Selected selected = select(ctx, req);
    if (selected.event_stream) {
        co_return Routed{Response{}, true, std::move(req)};
    }
    if (selected.ready) {
        co_return Routed{std::move(*selected.ready), false, {}};
    }
    Response response = co_await std::move(*selected.pending);
    co_return Routed{std::move(response), false, {}};
}

}  // namespace photosync::server
