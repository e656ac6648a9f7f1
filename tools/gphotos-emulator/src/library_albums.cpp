#include "errors.hpp"
#include "http_util.hpp"
#include "library.hpp"
#include "paging.hpp"
#include "schema.hpp"

namespace gpe {

using nlohmann::json;

Response json_ok(const json& j) {
    return Response::json(http::status::ok, j.dump(2));
}

AlbumRecord* find_album(StoreData& d, const std::string& id, const std::string& user) {
    auto it = d.albums.find(id);
    if (it == d.albums.end() || it->second.user != user)
        return nullptr;
    return &it->second;
}

bool app_owns(const AlbumRecord& a, const LibraryEnv& env) {
    return !a.app.empty() && a.app == env.who.client_id;
}

MediaItemRecord* visible_item(StoreData& d, const LibraryEnv& env, const std::string& id) {
    auto it = d.items.find(id);
    if (it == d.items.end() || it->second.user != env.who.user ||
        it->second.app != env.who.client_id)
        return nullptr;
    return &it->second;
}

bool query_int(const Request& req, std::string_view name, std::int64_t& out, Response& err) {
    if (!req.has_param(name))
        return true;
    const auto v = parse_i64(req.param(name));
    if (!v) {
        err = invalid_argument("Invalid value at '" + camel_to_snake(name) + "' (TYPE_INT32), \"" +
                               std::string(req.param(name)) + "\"");
        return false;
    }
    out = *v;
    return true;
}

namespace {

std::optional<Response> check_title(const json& title) {
    const std::string t = title.is_string() ? title.get<std::string>() : std::string{};
    if (t.empty())
        return invalid_argument("Album title must not be empty.");
    if (t.size() > 500)
        return invalid_argument("Album title must be 500 characters or fewer.");
    return std::nullopt;
}

bool query_bool(const Request& req, std::string_view name, bool& out, Response& err) {
    if (!req.has_param(name))
        return true;
    const auto v = req.param(name);
    if (v == "true" || v == "1") {
        out = true;
    } else if (v == "false" || v == "0") {
        out = false;
    } else {
        err = invalid_argument("Invalid value at '" + camel_to_snake(name) + "' (TYPE_BOOL), \"" +
                               std::string(v) + "\"");
        return false;
    }
    return true;
}

std::optional<Response> check_ids(const json& ids, const Config& cfg) {
    if (!ids.is_array() || ids.empty())
        return invalid_argument("Request must contain at least one media item id.");
    if (ids.size() > static_cast<std::size_t>(cfg.max_batch_items))
        return invalid_argument(msg::too_many_items);
    return std::nullopt;
}

}  // namespace

Response albums_create(StoreData& d, const LibraryEnv& env, const json& body) {
    if (!body.contains("album") || !body["album"].is_object())
        return invalid_argument("Request must contain an album.");
    const json& a = body["album"];
    if (a.contains("id") && !a["id"].is_null())
        return invalid_argument("Album id must not be set when creating an album.");
    if (auto e = check_title(a.value("title", json())))
        return *e;
    AlbumRecord r;
    r.id = env.ids.album_id(env.who.user);
    r.user = env.who.user;
    r.app = env.who.client_id;
    r.title = a["title"].get<std::string>();
    r.seq = d.seq();
    r.created = env.now;
    d.album_order.push_back(r.id);
    auto [it, ok] = d.albums.emplace(r.id, std::move(r));
    (void)ok;
    d.touch();
    return json_ok(album_json(d, it->second, env.render()));
}

Response albums_list(StoreData& d, const LibraryEnv& env, const Request& req) {
    Response err;
    std::int64_t page_size = 0;
    bool exclude = false;
    if (!query_int(req, "pageSize", page_size, err) ||
        !query_bool(req, "excludeNonAppCreatedData", exclude, err))
        return err;
    const PageSize ps = resolve_page_size(page_size, 20, 50);
    if (!ps.ok)
        return invalid_argument("Invalid page size: must not be negative.");
    const std::string fp = query_fingerprint("albums|" + env.who.user);
    PageCursor cur{fp, d.next_seq - 1, 0};
    if (const auto tok = req.param("pageToken"); !tok.empty()) {
        const auto c = decode_page_token(tok);
        if (!c || c->fingerprint != fp)
            return invalid_argument(msg::invalid_page_token);
        cur = *c;
    }
    // Since 2025-03-31 only app-created albums are listed (excludeNonAppCreatedData or not).
    std::vector<const AlbumRecord*> all;
    for (const auto& id : d.album_order) {
        const auto& a = d.albums.at(id);
        if (a.user == env.who.user && app_owns(a, env) && a.seq <= cur.snapshot)
            all.push_back(&a);
    }
    json out = json::object();
    json arr = json::array();
    std::size_t i = cur.offset;
    for (; i < all.size() && arr.size() < static_cast<std::size_t>(ps.value); ++i)
        arr.push_back(album_json(d, *all[i], env.render()));
    if (!arr.empty())
        out["albums"] = arr;
    if (i < all.size())
        out["nextPageToken"] = encode_page_token({fp, cur.snapshot, i});
    return json_ok(out);
}

Response albums_get(StoreData& d, const LibraryEnv& env, const std::string& id) {
    AlbumRecord* a = find_album(d, id, env.who.user);
    if (!a || !app_owns(*a, env))
        return not_found();
    return json_ok(album_json(d, *a, env.render()));
}

Response albums_patch(StoreData& d, const LibraryEnv& env, const std::string& id,
                      const Request& req, const json& body) {
    AlbumRecord* a = find_album(d, id, env.who.user);
    if (!a || !app_owns(*a, env))
        return not_found();
    const auto mask = split(req.param("updateMask"), ',');
    if (req.param("updateMask").empty())
        return invalid_argument("updateMask is required.");
    for (const auto& f : mask)
        if (f != "title" && f != "coverPhotoMediaItemId" && f != "cover_photo_media_item_id")
            return invalid_argument("Invalid updateMask field: " + f);
    for (const auto& f : mask) {
        if (f == "title") {
            if (auto e = check_title(body.value("title", json())))
                return *e;
        } else {
            const std::string cover = body.value("coverPhotoMediaItemId", "");
            if (!a->members.contains(cover))
                return invalid_argument(msg::invalid_media_item_id);
        }
    }
    for (const auto& f : mask) {
        if (f == "title")
            a->title = body["title"].get<std::string>();
        else
            a->cover_item = body["coverPhotoMediaItemId"].get<std::string>();
    }
    d.touch();
    return json_ok(album_json(d, *a, env.render()));
}

Response albums_batch_add(StoreData& d, const LibraryEnv& env, const std::string& id,
                          const json& body) {
    AlbumRecord* a = find_album(d, id, env.who.user);
    if (!a)
        return not_found();
    if (!app_owns(*a, env))
        return invalid_argument(msg::no_album_permission);
    const json ids = body.value("mediaItemIds", json::array());
    if (auto e = check_ids(ids, env.cfg))
        return *e;
    std::vector<std::string> add;
    for (const auto& v : ids) {
        const std::string mid = v.get<std::string>();
        if (!visible_item(d, env, mid))
            return invalid_argument(msg::invalid_media_item_id);
        if (!a->members.contains(mid) && std::find(add.begin(), add.end(), mid) == add.end())
            add.push_back(mid);
    }
    if (a->items.size() + add.size() > static_cast<std::size_t>(env.cfg.album_capacity))
        return invalid_argument("Album is full: an album can hold at most " +
                                std::to_string(env.cfg.album_capacity) + " media items.");
    for (auto& mid : add) {
        a->members.insert(mid);
        a->items.push_back(std::move(mid));
    }
    d.touch();
    return json_ok(json::object());
}

Response albums_batch_remove(StoreData& d, const LibraryEnv& env, const std::string& id,
                             const json& body) {
    AlbumRecord* a = find_album(d, id, env.who.user);
    if (!a)
        return not_found();
    if (!app_owns(*a, env))
        return invalid_argument("No permission to remove media items from this album.");
    const json ids = body.value("mediaItemIds", json::array());
    if (auto e = check_ids(ids, env.cfg))
        return *e;
    for (const auto& v : ids) {
        const std::string mid = v.get<std::string>();
        if (!visible_item(d, env, mid) || !a->members.contains(mid))
            return invalid_argument(msg::invalid_media_item_id);
    }
    for (const auto& v : ids) {
        const std::string mid = v.get<std::string>();
        a->members.erase(mid);
        std::erase(a->items, mid);
        if (a->cover_item == mid)
            a->cover_item.clear();
    }
    d.touch();
    return json_ok(json::object());
}

Response albums_add_enrichment(StoreData& d, const LibraryEnv& env, const std::string& id,
                               const json& body) {
    AlbumRecord* a = find_album(d, id, env.who.user);
    if (!a)
        return not_found();
    if (!app_owns(*a, env))
        return invalid_argument("No permission to add enrichments to this album.");
    const json item = body.value("newEnrichmentItem", json::object());
    int kinds = 0;
    for (const char* k : {"textEnrichment", "locationEnrichment", "mapEnrichment"})
        if (item.contains(k))
            ++kinds;
    if (kinds != 1)
        return invalid_argument("Exactly one enrichment type must be set.");
    const std::string eid = env.ids.media_item_id(env.who.user);
    a->enrichments.push_back(eid);
    d.touch();
    return json_ok({{"enrichmentItem", {{"id", eid}}}});
}

}  // namespace gpe
