#include "router.hpp"

#include "control.hpp"
#include "errors.hpp"
#include "http_util.hpp"
#include "library.hpp"

namespace gpe {

using nlohmann::json;

namespace {

constexpr std::string_view kAppend[] = {scope::appendonly};
constexpr std::string_view kAppendOrEdit[] = {scope::appendonly, scope::edit_appcreated};
constexpr std::string_view kEdit[] = {scope::edit_appcreated};
constexpr std::string_view kRead[] = {scope::readonly_appcreated};

std::span<const std::string_view> scopes_for(Route r) {
    switch (r) {
        case Route::upload_stream:
        case Route::upload_command:
        case Route::media_batch_create:
        case Route::albums_create:
            return kAppend;
        case Route::albums_batch_add:
        case Route::albums_add_enrichment:
            return kAppendOrEdit;
        case Route::albums_batch_remove:
        case Route::albums_patch:
        case Route::media_patch:
            return kEdit;
        default:
            return kRead;
    }
}

bool is_write(Route r) {
    switch (r) {
        case Route::media_batch_create:
        case Route::albums_create:
        case Route::albums_batch_add:
        case Route::albums_batch_remove:
        case Route::albums_add_enrichment:
        case Route::albums_patch:
        case Route::media_patch:
            return true;
        default:
            return false;
    }
}

RouteMatch make(Route r, std::string ep, std::string id = {}) {
    return {r, std::move(ep), std::move(id)};
}

const char* schema_for(Route r) {
    switch (r) {
        case Route::albums_create:
            return "CreateAlbumRequest";
        case Route::albums_patch:
            return "Album";
        case Route::albums_batch_add:
            return "BatchAddMediaItemsToAlbumRequest";
        case Route::albums_batch_remove:
            return "BatchRemoveMediaItemsFromAlbumRequest";
        case Route::albums_add_enrichment:
            return "AddEnrichmentToAlbumRequest";
        case Route::media_batch_create:
            return "BatchCreateMediaItemsRequest";
        case Route::media_search:
            return "SearchMediaItemsRequest";
        case Route::media_patch:
            return "MediaItem";
        default:
            return nullptr;
    }
}

void strip_nulls(json& j) {
    // proto3 JSON: an explicit null is the same as an absent field.
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end();) {
            if (it->is_null()) {
                it = j.erase(it);
            } else {
                strip_nulls(*it);
                ++it;
            }
        }
    } else if (j.is_array()) {
        for (auto& e : j)
            strip_nulls(e);
    }
}

Response method_not_allowed() {
    return google_error(404, "Method not found.", "NOT_FOUND");
}

}  // namespace

RouteMatch classify(const Request& head) {
    const std::string& p = head.path;
    const http::verb m = head.method;
    using V = http::verb;
    if (p.starts_with("/__emulator/") || p == "/__emulator")
        return make(Route::control, "control");
    if (p == "/o/oauth2/v2/auth" || p == "/o/oauth2/auth")
        return make(Route::oauth_authorize, "oauth.authorize");
    if (p == "/token" || p == "/o/oauth2/token" || p == "/oauth2/v4/token")
        return make(Route::oauth_token, "oauth.token");
    if (p == "/revoke" || p == "/o/oauth2/revoke")
        return make(Route::oauth_revoke, "oauth.revoke");
    if (p == "/oauth2/v3/tokeninfo" || p == "/tokeninfo")
        return make(Route::oauth_tokeninfo, "oauth.tokeninfo");
    if (p == "/v1/uploads" && m == V::post) {
        std::string ep = classify_upload(head);
        const Route r = (ep == "uploads.raw" || ep == "uploads.upload") ? Route::upload_stream
                                                                        : Route::upload_command;
        return make(r, std::move(ep));
    }
    if (p == "/v1/mediaItems:batchCreate" && m == V::post)
        return make(Route::media_batch_create, "mediaItems.batchCreate");
    if (p == "/v1/mediaItems:search" && m == V::post)
        return make(Route::media_search, "mediaItems.search");
    if (p == "/v1/mediaItems:batchGet" && m == V::get)
        return make(Route::media_batch_get, "mediaItems.batchGet");
    if (p == "/v1/mediaItems" && m == V::get)
        return make(Route::media_list, "mediaItems.list");
    if (p.starts_with("/v1/mediaItems/")) {
        std::string id = p.substr(15);
        if (id.empty() || id.find('/') != std::string::npos || id.find(':') != std::string::npos)
            return {};
        if (m == V::get)
            return make(Route::media_get, "mediaItems.get", std::move(id));
        if (m == V::patch)
            return make(Route::media_patch, "mediaItems.patch", std::move(id));
        return {};
    }
    if (p == "/v1/albums") {
        if (m == V::post)
            return make(Route::albums_create, "albums.create");
        if (m == V::get)
            return make(Route::albums_list, "albums.list");
        return {};
    }
    if (p.starts_with("/v1/albums/")) {
        std::string rest = p.substr(11);
        const auto colon = rest.find(':');
        std::string id = rest.substr(0, colon);
        if (id.empty() || id.find('/') != std::string::npos)
            return {};
        if (colon == std::string::npos) {
            if (m == V::get)
                return make(Route::albums_get, "albums.get", std::move(id));
            if (m == V::patch)
                return make(Route::albums_patch, "albums.patch", std::move(id));
            return {};
        }
        const std::string action = rest.substr(colon + 1);
        if (m != V::post)
            return {};
        if (action == "batchAddMediaItems")
            return make(Route::albums_batch_add, "albums.batchAddMediaItems", std::move(id));
        if (action == "batchRemoveMediaItems")
            return make(Route::albums_batch_remove, "albums.batchRemoveMediaItems", std::move(id));
        if (action == "addEnrichment")
            return make(Route::albums_add_enrichment, "albums.addEnrichment", std::move(id));
        if (action == "share" || action == "unshare")
            return make(Route::sharing, "albums." + action, std::move(id));
        return {};
    }
    if (p == "/v1/sharedAlbums" || p.starts_with("/v1/sharedAlbums/") ||
        p.starts_with("/v1/sharedAlbums:"))
        return make(Route::sharing, "sharedAlbums");
    return {};
}

Admission admit(App& app, const Request& head, std::optional<std::uint64_t> content_length) {
    Admission a;
    a.match = classify(head);
    const Route r = a.match.route;
    if (r == Route::control) {
        a.counted = false;
        if (!head.peer_loopback)
            a.early = permission_denied("The control endpoint only answers loopback clients.");
        return a;
    }
    a.in_flight = app.stats.begin(a.match.endpoint);
    a.faults = app.faults.decide(a.match.endpoint);
    if (r == Route::media_batch_create && app.cfg.batch_create_delay_ms > 0)
        a.faults.latency += std::chrono::milliseconds(app.cfg.batch_create_delay_ms);
    if (a.faults.error_status != 0) {
        const int s = a.faults.error_status;
        if (s == 500)
            a.early = internal_error();
        else if (s == 503)
            a.early = unavailable();
        else if (s == 429)
            a.early =
                google_error(429, write_quota_message(), "RESOURCE_EXHAUSTED", "rateLimitExceeded");
        else
            a.early = google_error(s, "Injected fault.");
        if (a.match.endpoint.starts_with("uploads."))
            a.early->headers.set("X-Goog-Upload-Status", "active");
        return a;
    }
    if (r == Route::unknown || r == Route::oauth_authorize || r == Route::oauth_token ||
        r == Route::oauth_revoke || r == Route::oauth_tokeninfo)
        return a;

    auto auth = app.oauth.authenticate(head, scopes_for(r));
    if (auto* resp = std::get_if<Response>(&auth)) {
        a.early = std::move(*resp);
        return a;
    }
    a.who = std::get<Principal>(std::move(auth));
    if (r == Route::sharing) {
        // Sharing went away with the photoslibrary.sharing scope (2025-03-31).
        a.early = google_error(403, msg::insufficient_scopes, "PERMISSION_DENIED",
                               "insufficientPermissions");
        return a;
    }
    if (auto q = app.quotas.admit(a.who->user, is_write(r))) {
        a.early = std::move(*q);
        return a;
    }
    if (r == Route::media_batch_create) {
        if (auto q = app.quotas.acquire_write_slot(a.who->user, a.write_slot)) {
            a.early = std::move(*q);
            return a;
        }
    }
    if (r == Route::upload_stream) {
        UploadEnv env{app.cfg, app.clock, app.ids, app.store};
        auto b = begin_upload(env, head, *a.who, a.match.endpoint, content_length);
        if (auto* resp = std::get_if<Response>(&b))
            a.early = std::move(*resp);
        else
            a.sink = std::get<std::unique_ptr<UploadSink>>(std::move(b));
    }
    return a;
}

Response handle(App& app, Admission& adm, const Request& req) {
    if (adm.early)
        return std::move(*adm.early);
    const Route r = adm.match.route;
    switch (r) {
        case Route::unknown:
            return google_error(404, "The requested URL " + req.path + " was not found.",
                                "NOT_FOUND", "notFound");
        case Route::oauth_authorize:
            if (req.method != http::verb::get && req.method != http::verb::post)
                return method_not_allowed();
            return app.oauth.authorize(req);
        case Route::oauth_token:
            return app.oauth.token(req);
        case Route::oauth_revoke:
            return app.oauth.revoke(req);
        case Route::oauth_tokeninfo:
            return app.oauth.tokeninfo(req);
        case Route::control:
            return handle_control(app, req);
        case Route::upload_command: {
            UploadEnv env{app.cfg, app.clock, app.ids, app.store};
            return upload_command(env, req, *adm.who, adm.match.endpoint);
        }
        case Route::upload_stream:
            return internal_error();  // bodies go to the sink
        default:
            break;
    }

    json body = json::object();
    if (const char* schema = schema_for(r)) {
        body = json::parse(req.body, nullptr, false);
        if (body.is_discarded())
            return invalid_argument("Invalid JSON payload received. Unexpected token.");
        if (auto e = app.schemas.validate(body, schema))
            return invalid_argument(*e);
        strip_nulls(body);
    }
    const LibraryEnv env{app.cfg, app.clock.now(), app.ids, *adm.who};
    const std::string& id = adm.match.id;
    return app.store.with_lock([&](StoreData& d) -> Response {
        switch (r) {
            case Route::albums_create:
                return albums_create(d, env, body);
            case Route::albums_list:
                return albums_list(d, env, req);
            case Route::albums_get:
                return albums_get(d, env, id);
            case Route::albums_patch:
                return albums_patch(d, env, id, req, body);
            case Route::albums_batch_add:
                return albums_batch_add(d, env, id, body);
            case Route::albums_batch_remove:
                return albums_batch_remove(d, env, id, body);
            case Route::albums_add_enrichment:
                return albums_add_enrichment(d, env, id, body);
            case Route::media_batch_create:
                return media_batch_create(d, env, body);
            case Route::media_search:
                return media_search(d, env, body);
            case Route::media_list:
                return media_list(d, env, req);
            case Route::media_get:
                return media_get(d, env, id);
            case Route::media_batch_get:
                return media_batch_get(d, env, req);
            case Route::media_patch:
                return media_patch(d, env, id, req, body);
            default:
                return internal_error();
        }
    });
}

void finalize_response(const App& app, const Request& req, Response& res, bool gzip_allowed) {
    res.headers.set(http::field::date, to_http_date(std::chrono::system_clock::now()));
    res.headers.set(http::field::server, "ESF");
    if (!res.content_type.empty())
        res.headers.set(http::field::content_type, res.content_type);
    if (gzip_allowed && app.cfg.gzip && res.body.size() >= 256 &&
        res.content_type.starts_with("application/json") &&
        accepts_gzip(req.header(http::field::accept_encoding))) {
        res.body = gzip_compress(res.body);
        res.headers.set(http::field::content_encoding, "gzip");
        res.headers.set(http::field::vary, "Origin, X-Origin, Referer");
    }
}

}  // namespace gpe
