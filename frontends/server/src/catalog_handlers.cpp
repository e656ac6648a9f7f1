// GET /api/plugins, GET /api/albums, GET /api/server.
#include "handlers.hpp"
#include "json_mapping.hpp"
#include "photosync/sdk/blocking.hpp"
#include "responses.hpp"

#ifndef PHOTOSYNC_VERSION
#define PHOTOSYNC_VERSION "unknown"
#endif

namespace photosync::server {

sdk::awaitable<Response> list_plugins(Context ctx, Request request) {
    const auto& registry = ctx->engine.plugins();
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& p : registry.plugins()) {
        plugins.push_back(plugin_json(p));
    }
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : registry.problems()) {
        problems.push_back({{"path", p.path.string()}, {"message", p.message}});
    }
    co_return json_response(request.version(), http::status::ok,
                            {{"plugins", plugins}, {"problems", problems}});
}

sdk::awaitable<Response> list_albums(Context ctx, Request request, std::string album) {
    engine::Engine* engine = &ctx->engine;
    auto albums = co_await sdk::run_blocking(ctx->blocking.get_executor(),
                                             [engine, &album] { return engine->status(album); });
    if (!albums) {
        co_return error_response(request.version(), albums.error());
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : *albums) {
        list.push_back(album_json(a));
    }
    co_return json_response(request.version(), http::status::ok, {{"albums", list}});
}

sdk::awaitable<Response> server_info(Context ctx, Request request) {
    nlohmann::json roots = nlohmann::json::array();
    for (const auto& r : ctx->paths.roots()) {
        roots.push_back(r.string());
    }
    std::string default_destination = ctx->options.default_destination;
    co_return json_response(
        request.version(), http::status::ok,
        {{"name", "photosync"},
         {"version", PHOTOSYNC_VERSION},
         {"allowed_roots", roots},
         {"default_destination", default_destination},
         {"default_jobs", ctx->options.default_concurrency == 0 ? engine::kDefaultConcurrency
                                                                : ctx->options.default_concurrency},
         {"limits",
          {{"header_bytes", ctx->options.header_limit}, {"body_bytes", ctx->options.body_limit}}}});
}

}  // namespace photosync::server
