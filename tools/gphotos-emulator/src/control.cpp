#include "control.hpp"

#include "errors.hpp"
#include "http_util.hpp"

namespace gpe {

using nlohmann::json;

namespace {

Response ok(const json& j) {
    return Response::json(http::status::ok, j.dump(2));
}

Response bad(std::string_view m) {
    return google_error(400, m);
}

json body_json(const Request& req) {
    if (trim(req.body).empty())
        return json::object();
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded())
        throw std::invalid_argument("body is not valid JSON");
    return j;
}

json all_photo_scopes() {
    return json::array({scope::appendonly, scope::readonly_appcreated, scope::edit_appcreated});
}

Response faults_post(App& app, const json& b) {
    json ids = json::array();
    if (b.value("clear", false))
        app.faults.clear();
    if (b.contains("seed"))
        app.faults.reseed(b["seed"].get<std::uint64_t>());
    if (b.contains("bandwidth_bytes_per_s"))
        app.faults.set_bandwidth(b["bandwidth_bytes_per_s"].get<std::uint64_t>());
    if (b.contains("rules")) {
        for (const auto& r : b["rules"])
            ids.push_back(app.faults.add(fault_rule_from_json(r)));
    } else if (b.contains("kind")) {
        ids.push_back(app.faults.add(fault_rule_from_json(b)));
    }
    json out = app.faults.dump();
    out["added"] = ids;
    return ok(out);
}

Response reset(App& app, const json& b) {
    if (b.value("store", true)) {
        app.store.clear();
        app.ids.next_u64();
    }
    if (b.value("stats", true))
        app.stats.reset();
    if (b.value("faults", true))
        app.faults.clear();
    if (b.value("quotas", true))
        app.quotas.reset_counters();
    if (b.value("clock", true))
        app.clock.set_offset_ms(0);
    if (b.value("oauth", false))
        app.oauth.clear();
    return ok({{"reset", true}});
}

Response create_foreign_album(App& app, const json& b) {
    // An album "made in the Photos app": visible to nobody, writable by nobody.
    const std::string user = b.value("user", app.cfg.default_user);
    AlbumRecord a;
    a.id = app.ids.album_id(user);
    a.user = user;
    a.app = b.value("appCreated", false) ? app.cfg.client_id : std::string{};
    a.title = b.value("title", "Made in the Photos app");
    a.created = app.clock.now();
    const std::string id = a.id;
    app.store.with_lock([&](StoreData& d) {
        a.seq = d.seq();
        d.album_order.push_back(id);
        d.albums.emplace(id, std::move(a));
        d.touch();
    });
    return ok({{"id", id}});
}

Response create_foreign_item(App& app, const json& b) {
    const std::string user = b.value("user", app.cfg.default_user);
    MediaItemRecord m;
    m.id = app.ids.media_item_id(user);
    m.user = user;
    m.app = b.value("appCreated", false) ? app.cfg.client_id : std::string{};
    m.filename = b.value("filename", "IMG_FOREIGN.JPG");
    m.media.kind = MediaKind::photo;
    m.media.mime = "image/jpeg";
    m.media.extension = "jpg";
    m.creation_time = m.created_at = app.clock.now();
    const std::string id = m.id;
    const std::string album = b.value("albumId", "");
    const bool done = app.store.with_lock([&](StoreData& d) {
        if (!album.empty() && !d.albums.contains(album))
            return false;
        m.seq = d.seq();
        if (!album.empty()) {
            d.albums.at(album).items.push_back(id);
            d.albums.at(album).members.insert(id);
        }
        d.item_order.push_back(id);
        d.items.emplace(id, std::move(m));
        d.touch();
        return true;
    });
    if (!done)
        return bad("unknown albumId");
    return ok({{"id", id}});
}

}  // namespace

Response handle_control(App& app, const Request& req) {
    const std::string p = req.path.substr(std::string_view("/__emulator").size());
    const bool get = req.method == http::verb::get;
    const bool post = req.method == http::verb::post;
    try {
        const json b = post ? body_json(req) : json::object();
        if (get && (p == "/health" || p.empty() || p == "/"))
            return ok({{"ok", true}});
        if (get && p == "/info")
            return ok(app.info());
        if (get && p == "/state") {
            json s = app.store.dump();
            s["stats"] = app.stats.dump();
            s["quotas"] = app.quotas.dump();
            s["faults"] = app.faults.dump();
            s["oauth"] = app.oauth.dump();
            s["clock"] = {{"now", to_rfc3339(app.clock.now())},
                          {"offset_ms", app.clock.offset_ms()}};
            return ok(s);
        }
        if (get && p == "/albums")
            return ok(app.store.dump()["albums"]);
        if (get && p == "/mediaItems")
            return ok(app.store.dump()["mediaItems"]);
        if (post && p == "/albums")
            return create_foreign_album(app, b);
        if (post && p == "/mediaItems")
            return create_foreign_item(app, b);
        if (get && p == "/stats") {
            json s = app.stats.dump();
            s["quotas"] = app.quotas.dump();
            return ok(s);
        }
        if (post && p == "/reset")
            return reset(app, b);
        if (get && p == "/clock")
            return ok({{"now", to_rfc3339(app.clock.now())}, {"offset_ms", app.clock.offset_ms()}});
        if (post && p == "/clock/advance") {
            const std::int64_t ms = b.value("ms", std::int64_t{0}) +
                                    b.value("seconds", std::int64_t{0}) * 1000 +
                                    b.value("hours", std::int64_t{0}) * 3600000;
            app.clock.advance(std::chrono::milliseconds(ms));
            return ok({{"now", to_rfc3339(app.clock.now())}, {"offset_ms", app.clock.offset_ms()}});
        }
        if (get && p == "/faults")
            return ok(app.faults.dump());
        if (post && p == "/faults")
            return faults_post(app, b);
        if (req.method == http::verb::delete_ && p == "/faults") {
            app.faults.clear();
            return ok(app.faults.dump());
        }
        if (req.method == http::verb::delete_ && p.starts_with("/faults/")) {
            const auto id = parse_u64(p.substr(8));
            if (!id || !app.faults.remove(*id))
                return google_error(404, "no such fault rule");
            return ok(app.faults.dump());
        }
        if (get && p == "/quotas")
            return ok(app.quotas.dump());
        if (post && p == "/quotas") {
            QuotaLimits l = app.quotas.limits();
            l.requests_per_day = b.value("requests_per_day", l.requests_per_day);
            l.writes_per_minute = b.value("writes_per_minute", l.writes_per_minute);
            l.concurrent_writes = b.value("concurrent_writes", l.concurrent_writes);
            app.quotas.set_limits(l);
            if (b.value("reset_counters", false))
                app.quotas.reset_counters();
            return ok(app.quotas.dump());
        }
        if (get && p == "/oauth")
            return ok(app.oauth.dump());
        if (post && p == "/oauth/token") {
            const auto scopes =
                b.value("scopes", all_photo_scopes()).get<std::vector<std::string>>();
            std::optional<int> ttl;
            if (b.contains("expires_in"))
                ttl = b["expires_in"].get<int>();
            return ok(app.oauth.issue(b.value("user", std::string{}), scopes, ttl));
        }
        if (post && p == "/oauth/revoke") {
            if (b.value("all", false))
                return ok({{"revoked", app.oauth.revoke_all()}});
            if (!app.oauth.revoke_token(b.value("token", "")))
                return google_error(404, "unknown or already revoked token");
            return ok({{"revoked", 1}});
        }
        if (post && p == "/oauth/settings") {
            if (b.contains("deny"))
                app.oauth.set_deny(b["deny"].get<bool>());
            if (b.contains("access_token_ttl_s"))
                app.oauth.set_access_ttl(b["access_token_ttl_s"].get<int>());
            return ok(app.oauth.dump());
        }
        if (post && p == "/save")
            return app.save_state() ? ok({{"saved", app.cfg.state_file}})
                                    : google_error(500, "saving state failed");
        if (post && p == "/shutdown") {
            if (app.request_shutdown)
                app.request_shutdown();
            return ok({{"shutting_down", true}});
        }
        return google_error(404, "unknown control call: " +
                                     std::string(http::to_string(req.method)) + " " + req.path);
    } catch (const std::exception& e) {
        return bad(std::string("bad control request: ") + e.what());
    }
}

}  // namespace gpe
