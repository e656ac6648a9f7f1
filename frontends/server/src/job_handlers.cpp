// POST /api/jobs, GET /api/jobs, GET /api/jobs/{id}, POST /api/jobs/{id}/cancel
// (and DELETE /api/jobs/{id}).
#include <string>

#include "handlers.hpp"
#include "job_request.hpp"
#include "json_mapping.hpp"
#include "photosync/sdk/blocking.hpp"
#include "responses.hpp"

namespace photosync::server {

namespace {

Response no_such_job(unsigned version, std::uint64_t id) {
    return error_response(version, http::status::not_found,
                          "no job " + std::to_string(id) + " (GET /api/jobs lists them)",
                          "not_found");
}

}  // namespace

sdk::awaitable<Response> create_job(Context ctx, Request request) {
    JobDefaults defaults{ctx->options.default_destination, ctx->options.default_concurrency,
                         &ctx->options.plugin_options};
    auto built = parse_job_request(request.body(), ctx->paths, defaults);
    if (!built) {
        co_return error_response(request.version(), built.error());
    }
    if (ctx->stopping) {
        co_return error_response(request.version(), http::status::service_unavailable,
                                 "the server is shutting down", "cancelled");
    }
    ServerContext* raw = ctx.get();
    BuiltJob job = std::move(*built);
    auto started = co_await sdk::run_blocking(ctx->blocking.get_executor(), [raw, &job] {
        return raw->jobs.start(std::move(job.spec), std::move(job.info));
    });
    if (!started) {
        co_return error_response(request.version(), started.error());
    }
    auto response =
        json_response(request.version(), http::status::created, job_json((*started)->snapshot()));
    response.set(http::field::location, "/api/jobs/" + std::to_string((*started)->id()));
    co_return response;
}

sdk::awaitable<Response> list_jobs(Context ctx, Request request) {
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& r : ctx->jobs.list()) {
        jobs.push_back(job_json(r->snapshot()));
    }
    co_return json_response(request.version(), http::status::ok, {{"jobs", jobs}});
}

sdk::awaitable<Response> get_job(Context ctx, Request request, std::uint64_t id) {
    auto record = ctx->jobs.find(id);
    if (!record) {
        co_return no_such_job(request.version(), id);
    }
    co_return json_response(request.version(), http::status::ok, job_json(record->snapshot()));
}

sdk::awaitable<Response> cancel_job(Context ctx, Request request, std::uint64_t id) {
    auto record = ctx->jobs.find(id);
    if (!record) {
        co_return no_such_job(request.version(), id);
    }
    record->request_cancel();
    // 202: the job stops within a moment (the commit in flight finishes);
    // its state turns "cancelled" then. Cancelling a finished job changes nothing.
    auto snapshot = record->snapshot();
    co_return json_response(request.version(),
                            engine::is_final(snapshot.state) && record->finished()
                                ? http::status::ok
                                : http::status::accepted,
                            job_json(snapshot));
}

}  // namespace photosync::server
