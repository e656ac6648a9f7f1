#include <algorithm>

#include "errors.hpp"
#include "http_util.hpp"
#include "library.hpp"
#include "paging.hpp"

namespace gpe {

using nlohmann::json;

namespace {

json item_status(int code, std::string_view message) {
    json s{{"message", message}};
    if (code != 0)
        s["code"] = code;  // proto3 JSON omits code 0 (OK): success has no code field
    return s;
}

struct DateRange {
    SysTime from, to;  // inclusive days, [from, to)
};

std::optional<SysTime> date_start(const json& d) {
    // google.type.Date: year/month/day; 0 = wildcard is not supported for ranges here.
    const int y = d.value("year", 0), m = d.value("month", 0), day = d.value("day", 0);
    if (y <= 0 || m <= 0 || day <= 0)
        return std::nullopt;
    if (y > 9999 || m > 12 || day > 31)
        return std::nullopt;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT00:00:00Z", y, m, day);
    return parse_rfc3339(buf);
}

bool date_matches(const json& date, SysTime t) {
    const Ymd ymd = to_ymd(t);
    const int y = date.value("year", 0), m = date.value("month", 0), day = date.value("day", 0);
    return (y == 0 || y == ymd.year) && (m == 0 || m == static_cast<int>(ymd.month)) &&
           (day == 0 || day == static_cast<int>(ymd.day));
}

// Returns the page of `all` for the cursor and page size, with the next token.
json page_of(const std::vector<const MediaItemRecord*>& all, const PageCursor& cur, int page_size,
             const RenderEnv& env) {
    json out = json::object();
    json arr = json::array();
    std::size_t i = cur.offset;
    for (; i < all.size() && arr.size() < static_cast<std::size_t>(page_size); ++i)
        arr.push_back(media_item_json(*all[i], env));
    if (!arr.empty())
        out["mediaItems"] = arr;
    if (i < all.size())
        out["nextPageToken"] = encode_page_token({cur.fingerprint, cur.snapshot, i});
    return out;
}

std::vector<const MediaItemRecord*> library_items(const StoreData& d, const LibraryEnv& env,
                                                  std::uint64_t snapshot) {
    // Newest first, like the library view.
    std::vector<const MediaItemRecord*> all;
    for (auto it = d.item_order.rbegin(); it != d.item_order.rend(); ++it) {
        const auto& m = d.items.at(*it);
        if (m.user == env.who.user && m.app == env.who.client_id && m.seq <= snapshot)
            all.push_back(&m);
    }
    return all;
}

}  // namespace

Response media_batch_create(StoreData& d, const LibraryEnv& env, const json& body) {
    const json items = body.value("newMediaItems", json::array());
    if (items.empty())
        return invalid_argument("Request must contain at least one newMediaItem.");
    if (items.size() > static_cast<std::size_t>(env.cfg.max_batch_items))
        return invalid_argument(msg::too_many_items);

    AlbumRecord* album = nullptr;
    const std::string album_id = body.value("albumId", "");
    if (!album_id.empty()) {
        album = find_album(d, album_id, env.who.user);
        if (!album)
            return invalid_argument(msg::invalid_album_id);
        if (!app_owns(*album, env))
            return invalid_argument(msg::no_album_permission);
    }
    // Where in the album the new items go.
    std::size_t insert_at = album ? album->items.size() : 0;
    if (body.contains("albumPosition") && !body["albumPosition"].is_null()) {
        if (!album)
            return invalid_argument("albumPosition can only be set together with albumId.");
        const json& pos = body["albumPosition"];
        const std::string type = pos.value("position", "POSITION_TYPE_UNSPECIFIED");
        if (type == "FIRST_IN_ALBUM") {
            insert_at = 0;
        } else if (type == "AFTER_MEDIA_ITEM") {
            const std::string rel = pos.value("relativeMediaItemId", "");
            const auto it = std::find(album->items.begin(), album->items.end(), rel);
            if (rel.empty() || it == album->items.end())
                return invalid_argument("Invalid relativeMediaItemId for AFTER_MEDIA_ITEM.");
            insert_at = static_cast<std::size_t>(it - album->items.begin()) + 1;
        } else if (type == "AFTER_ENRICHMENT_ITEM") {
            const std::string rel = pos.value("relativeEnrichmentItemId", "");
            if (std::find(album->enrichments.begin(), album->enrichments.end(), rel) ==
                album->enrichments.end())
                return invalid_argument(
                    "Invalid relativeEnrichmentItemId for AFTER_ENRICHMENT_ITEM.");
        } else if (pos.contains("relativeMediaItemId") ||
                   pos.contains("relativeEnrichmentItemId")) {
            return invalid_argument(
                "Relative item ids need AFTER_MEDIA_ITEM/AFTER_ENRICHMENT_ITEM.");
        }
    }

    // Whole-request checks first: a malformed item fails the call with 400.
    for (const auto& it : items) {
        const std::string desc = it.value("description", "");
        if (desc.size() >= 1000)
            return invalid_argument("Description must be shorter than 1000 characters.");
        const json simple = it.value("simpleMediaItem", json::object());
        const std::string tok = simple.value("uploadToken", "");
        if (!looks_like_upload_token(tok))
            return invalid_argument(msg::invalid_upload_token);
        if (simple.value("fileName", "").size() > 255)
            return invalid_argument("File name must be 255 characters or fewer.");
    }

    // Per-item outcome (dry run first so album capacity is all-or-nothing).
    struct Outcome {
        int code = 0;
        std::string message;
        UploadTokenRecord* token = nullptr;
    };
    std::vector<Outcome> outcomes;
    std::unordered_map<std::string, int> used_here;
    std::size_t successes = 0;
    for (const auto& it : items) {
        const json simple = it.value("simpleMediaItem", json::object());
        const std::string tok = simple.value("uploadToken", "");
        Outcome o;
        auto t = d.upload_tokens.find(tok);
        if (t == d.upload_tokens.end() || t->second.user != env.who.user ||
            t->second.client_id != env.who.client_id) {
            o = {3, "Invalid upload token.", nullptr};
        } else if (env.now >=
                   t->second.created + std::chrono::seconds(env.cfg.upload_token_ttl_s)) {
            o = {3, "Upload token has expired.", nullptr};
        } else if (!env.cfg.allow_token_reuse && (t->second.uses > 0 || used_here[tok] > 0)) {
            o = {3, "Upload token has already been used.", nullptr};
        } else if (t->second.bytes.media.kind == MediaKind::none) {
            o = {3, std::string(msg::bad_image), nullptr};
        } else if ((t->second.bytes.media.kind == MediaKind::photo &&
                    t->second.bytes.size > env.cfg.max_photo_bytes) ||
                   (t->second.bytes.media.kind == MediaKind::video &&
                    t->second.bytes.size > env.cfg.max_video_bytes)) {
            o = {3, "INVALID_ARGUMENT: The media item is too large.", nullptr};
        } else {
            o = {0, "Success", &t->second};
            ++used_here[tok];
            ++successes;
        }
        outcomes.push_back(std::move(o));
    }
    if (album && album->items.size() + successes > static_cast<std::size_t>(env.cfg.album_capacity))
        return invalid_argument("Album is full: an album can hold at most " +
                                std::to_string(env.cfg.album_capacity) + " media items.");

    json results = json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const json& it = items[i];
        const json simple = it.value("simpleMediaItem", json::object());
        const std::string tok = simple.value("uploadToken", "");
        json r;
        r["uploadToken"] = tok;
        Outcome& o = outcomes[i];
        if (!o.token) {
            r["status"] = item_status(o.code, o.message);
            results.push_back(std::move(r));
            continue;
        }
        UploadTokenRecord& t = *o.token;
        ++t.uses;
        MediaItemRecord m;
        m.id = env.ids.media_item_id(env.who.user);
        m.user = env.who.user;
        m.app = env.who.client_id;
        m.description = it.value("description", "");
        m.filename = simple.value("fileName", "");
        if (m.filename.empty())
            m.filename = t.bytes.file_name;
        if (m.filename.empty())
            m.filename = date_file_name(t.created, t.bytes.media.extension);
        m.sha256 = t.bytes.sha256;
        m.size = t.bytes.size;
        m.media = t.bytes.media;
        if (m.media.mime.empty())
            m.media.mime = t.bytes.content_type;
        // No EXIF parsing: the capture time is the upload time (as for files without metadata).
        m.creation_time = t.created;
        m.created_at = env.now;
        m.upload_token = tok;
        m.seq = d.seq();
        if (album) {
            album->items.insert(album->items.begin() + static_cast<std::ptrdiff_t>(insert_at),
                                m.id);
            album->members.insert(m.id);
            ++insert_at;  // several items keep request order at the position
        }
        r["status"] = item_status(0, "Success");
        r["mediaItem"] = media_item_json(m, env.render());
        d.item_order.push_back(m.id);
        d.items.emplace(m.id, std::move(m));
        results.push_back(std::move(r));
    }
    d.touch();
    return json_ok({{"newMediaItemResults", results}});
}

Response media_search(StoreData& d, const LibraryEnv& env, const json& body) {
    const std::string album_id = body.value("albumId", "");
    const bool has_filters = body.contains("filters") && !body["filters"].is_null();
    if (!album_id.empty() && has_filters)
        return invalid_argument("albumId and filters cannot be set in the same request.");
    std::int64_t requested = 0;
    if (body.contains("pageSize") && !body["pageSize"].is_null())
        requested = body["pageSize"].is_string() ? *parse_i64(body["pageSize"].get<std::string>())
                                                 : body["pageSize"].get<std::int64_t>();
    const PageSize ps = resolve_page_size(requested, 25, 100);
    if (!ps.ok)
        return invalid_argument("Invalid page size: must not be negative.");
    const std::string order_by = body.value("orderBy", "");
    const json filters = has_filters ? body["filters"] : json::object();
    const bool has_date_filter = filters.contains("dateFilter");
    if (!order_by.empty()) {
        if (!has_date_filter)
            return invalid_argument("orderBy can only be used together with a dateFilter.");
        if (order_by != "MediaMetadata.creation_time" &&
            order_by != "MediaMetadata.creation_time desc")
            return invalid_argument("Invalid orderBy: " + order_by);
    }
    const std::string fp = query_fingerprint("search|" + env.who.user + "|" + album_id + "|" +
                                             filters.dump() + "|" + order_by);
    PageCursor cur{fp, d.next_seq - 1, 0};
    if (const std::string tok = body.value("pageToken", ""); !tok.empty()) {
        const auto c = decode_page_token(tok);
        if (!c || c->fingerprint != fp)
            return invalid_argument(msg::invalid_page_token);
        cur = *c;
    }

    std::vector<const MediaItemRecord*> all;
    if (!album_id.empty()) {
        AlbumRecord* a = find_album(d, album_id, env.who.user);
        if (!a || !app_owns(*a, env))
            return invalid_argument(msg::invalid_album_id);
        for (const auto& id : a->items)
            if (const MediaItemRecord* m = visible_item(d, env, id))
                all.push_back(m);
        return json_ok(page_of(all, cur, ps.value, env.render()));
    }

    all = library_items(d, env, cur.snapshot);
    if (has_filters) {
        // dateFilter: dates (≤5, wildcards allowed) or ranges (≤5), on creationTime.
        if (has_date_filter) {
            const json& df = filters["dateFilter"];
            const json dates = df.value("dates", json::array());
            const json ranges = df.value("ranges", json::array());
            if (dates.size() > 5 || ranges.size() > 5)
                return invalid_argument("A dateFilter can have at most 5 dates and 5 ranges.");
            std::vector<DateRange> rs;
            for (const auto& r : ranges) {
                const auto s = date_start(r.value("startDate", json::object()));
                const auto e = date_start(r.value("endDate", json::object()));
                if (!s || !e)
                    return invalid_argument("Date ranges need full start and end dates.");
                rs.push_back({*s, *e + std::chrono::hours(24)});
            }
            std::erase_if(all, [&](const MediaItemRecord* m) {
                const bool in_date = std::any_of(dates.begin(), dates.end(), [&](const json& dt) {
                    return date_matches(dt, m->creation_time);
                });
                const bool in_range = std::any_of(rs.begin(), rs.end(), [&](const DateRange& r) {
                    return m->creation_time >= r.from && m->creation_time < r.to;
                });
                return !(in_date || in_range);
            });
        }
        if (filters.contains("mediaTypeFilter")) {
            const json types = filters["mediaTypeFilter"].value("mediaTypes", json::array());
            if (types.size() > 1)
                return invalid_argument("mediaTypeFilter accepts exactly one media type.");
            const std::string t = types.empty() ? "ALL_MEDIA" : types[0].get<std::string>();
            if (t == "PHOTO")
                std::erase_if(all, [](auto* m) { return m->media.kind != MediaKind::photo; });
            else if (t == "VIDEO")
                std::erase_if(all, [](auto* m) { return m->media.kind != MediaKind::video; });
        }
        if (filters.contains("featureFilter")) {
            // No item is a favourite: the API cannot set favourites.
            const json f = filters["featureFilter"].value("includedFeatures", json::array());
            if (std::find(f.begin(), f.end(), "FAVORITES") != f.end())
                all.clear();
        }
        if (order_by == "MediaMetadata.creation_time")
            std::stable_sort(all.begin(), all.end(),
                             [](auto* a, auto* b) { return a->creation_time < b->creation_time; });
        else if (!order_by.empty())
            std::stable_sort(all.begin(), all.end(),
                             [](auto* a, auto* b) { return a->creation_time > b->creation_time; });
    }
    return json_ok(page_of(all, cur, ps.value, env.render()));
}

Response media_list(StoreData& d, const LibraryEnv& env, const Request& req) {
    Response err;
    std::int64_t page_size = 0;
    if (!query_int(req, "pageSize", page_size, err))
        return err;
    const PageSize ps = resolve_page_size(page_size, 25, 100);
    if (!ps.ok)
        return invalid_argument("Invalid page size: must not be negative.");
    const std::string fp = query_fingerprint("list|" + env.who.user);
    PageCursor cur{fp, d.next_seq - 1, 0};
    if (const auto tok = req.param("pageToken"); !tok.empty()) {
        const auto c = decode_page_token(tok);
        if (!c || c->fingerprint != fp)
            return invalid_argument(msg::invalid_page_token);
        cur = *c;
    }
    return json_ok(page_of(library_items(d, env, cur.snapshot), cur, ps.value, env.render()));
}

Response media_get(StoreData& d, const LibraryEnv& env, const std::string& id) {
    const MediaItemRecord* m = visible_item(d, env, id);
    if (!m)
        return not_found();
    return json_ok(media_item_json(*m, env.render()));
}

Response media_batch_get(StoreData& d, const LibraryEnv& env, const Request& req) {
    const auto ids = req.params("mediaItemIds");
    if (ids.empty())
        return invalid_argument("Request must contain at least one media item id.");
    if (ids.size() > static_cast<std::size_t>(env.cfg.max_batch_items))
        return invalid_argument(msg::too_many_items);
    json results = json::array();
    for (const auto& id : ids) {
        if (const MediaItemRecord* m = visible_item(d, env, id))
            results.push_back({{"mediaItem", media_item_json(*m, env.render())}});
        else
            results.push_back({{"status", item_status(3, "Invalid media item ID.")}});
    }
    return json_ok({{"mediaItemResults", results}});
}

Response media_patch(StoreData& d, const LibraryEnv& env, const std::string& id, const Request& req,
                     const json& body) {
    MediaItemRecord* m = visible_item(d, env, id);
    if (!m)
        return not_found();
    if (req.param("updateMask").empty())
        return invalid_argument("updateMask is required.");
    for (const auto& f : split(req.param("updateMask"), ','))
        if (f != "description")
            return invalid_argument("Invalid updateMask field: " + f);
    const std::string desc = body.value("description", "");
    if (desc.size() >= 1000)
        return invalid_argument("Description must be shorter than 1000 characters.");
    m->description = desc;
    d.touch();
    return json_ok(media_item_json(*m, env.render()));
}

}  // namespace gpe
