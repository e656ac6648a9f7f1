#include "store.hpp"

namespace gpe {

using nlohmann::json;

json media_info_json(const MediaInfo& m) {
    return {{"kind", to_string(m.kind)},
            {"mime", m.mime},
            {"extension", m.extension},
            {"width", m.width},
            {"height", m.height}};
}

MediaInfo media_info_from_json(const json& j) {
    MediaInfo m;
    m.kind = media_kind_from_string(j.value("kind", "none"));
    m.mime = j.value("mime", "");
    m.extension = j.value("extension", "");
    m.width = j.value("width", std::int64_t{0});
    m.height = j.value("height", std::int64_t{0});
    return m;
}

namespace {

json bytes_json(const UploadedBytes& b) {
    return {{"sha256", b.sha256},
            {"size", b.size},
            {"media", media_info_json(b.media)},
            {"file_name", b.file_name},
            {"content_type", b.content_type}};
}

UploadedBytes bytes_from_json(const json& j) {
    UploadedBytes b;
    b.sha256 = j.value("sha256", "");
    b.size = j.value("size", std::uint64_t{0});
    b.media = media_info_from_json(j.value("media", json::object()));
    b.file_name = j.value("file_name", "");
    b.content_type = j.value("content_type", "");
    return b;
}

}  // namespace

json Store::to_json() const {
    std::lock_guard lock(mu_);
    json albums = json::array(), items = json::array(), tokens = json::array();
    for (const auto& id : data_.album_order) {
        const auto& a = data_.albums.at(id);
        albums.push_back({{"id", a.id},
                          {"user", a.user},
                          {"app", a.app},
                          {"title", a.title},
                          {"items", a.items},
                          {"cover_item", a.cover_item},
                          {"enrichments", a.enrichments},
                          {"seq", a.seq},
                          {"created", to_unix_seconds(a.created)}});
    }
    for (const auto& id : data_.item_order) {
        const auto& m = data_.items.at(id);
        items.push_back({{"id", m.id},
                         {"user", m.user},
                         {"app", m.app},
                         {"description", m.description},
                         {"filename", m.filename},
                         {"sha256", m.sha256},
                         {"size", m.size},
                         {"media", media_info_json(m.media)},
                         {"creation_time", to_unix_seconds(m.creation_time)},
                         {"created_at", to_unix_seconds(m.created_at)},
                         {"upload_token", m.upload_token},
                         {"seq", m.seq}});
    }
    for (const auto& [k, t] : data_.upload_tokens)
        tokens.push_back({{"token", t.token},
                          {"user", t.user},
                          {"client_id", t.client_id},
                          {"bytes", bytes_json(t.bytes)},
                          {"created", to_unix_seconds(t.created)},
                          {"uses", t.uses}});
    return {{"albums", albums},
            {"media_items", items},
            {"upload_tokens", tokens},
            {"next_seq", data_.next_seq},
            {"bytes_received", data_.bytes_received}};
}

void Store::load_json(const json& j) {
    std::lock_guard lock(mu_);
    data_ = StoreData{};
    for (const auto& a : j.value("albums", json::array())) {
        AlbumRecord r;
        r.id = a.at("id").get<std::string>();
        r.user = a.at("user").get<std::string>();
        r.app = a.value("app", "");
        r.title = a.value("title", "");
        r.items = a.value("items", std::vector<std::string>{});
        r.members.insert(r.items.begin(), r.items.end());
        r.cover_item = a.value("cover_item", "");
        r.enrichments = a.value("enrichments", std::vector<std::string>{});
        r.seq = a.value("seq", std::uint64_t{0});
        r.created = from_unix_seconds(a.value("created", std::int64_t{0}));
        data_.album_order.push_back(r.id);
        data_.albums.emplace(r.id, std::move(r));
    }
    for (const auto& m : j.value("media_items", json::array())) {
        MediaItemRecord r;
        r.id = m.at("id").get<std::string>();
        r.user = m.at("user").get<std::string>();
        r.app = m.value("app", "");
        r.description = m.value("description", "");
        r.filename = m.value("filename", "");
        r.sha256 = m.value("sha256", "");
        r.size = m.value("size", std::uint64_t{0});
        r.media = media_info_from_json(m.value("media", json::object()));
        r.creation_time = from_unix_seconds(m.value("creation_time", std::int64_t{0}));
        r.created_at = from_unix_seconds(m.value("created_at", std::int64_t{0}));
        r.upload_token = m.value("upload_token", "");
        r.seq = m.value("seq", std::uint64_t{0});
        data_.item_order.push_back(r.id);
        data_.items.emplace(r.id, std::move(r));
    }
    for (const auto& t : j.value("upload_tokens", json::array())) {
        UploadTokenRecord r;
        r.token = t.at("token").get<std::string>();
        r.user = t.at("user").get<std::string>();
        r.client_id = t.value("client_id", "");
        r.bytes = bytes_from_json(t.at("bytes"));
        r.created = from_unix_seconds(t.value("created", std::int64_t{0}));
        r.uses = t.value("uses", 0);
        data_.upload_tokens.emplace(r.token, std::move(r));
    }
    data_.next_seq = j.value("next_seq", std::uint64_t{1});
    data_.bytes_received = j.value("bytes_received", std::uint64_t{0});
}

json Store::dump() const {
    std::lock_guard lock(mu_);
    json albums = json::array(), items = json::array();
    std::unordered_map<std::string, std::vector<std::string>> item_albums;
    for (const auto& id : data_.album_order) {
        const auto& a = data_.albums.at(id);
        for (const auto& it : a.items)
            item_albums[it].push_back(a.id);
        albums.push_back({{"id", a.id},
                          {"title", a.title},
                          {"user", a.user},
                          {"appCreated", !a.app.empty()},
                          {"mediaItemsCount", a.items.size()},
                          {"mediaItemIds", a.items},
                          {"coverPhotoMediaItemId", a.cover_item}});
    }
    for (const auto& id : data_.item_order) {
        const auto& m = data_.items.at(id);
        items.push_back({{"id", m.id},
                         {"filename", m.filename},
                         {"description", m.description},
                         {"sha256", m.sha256},
                         {"size", m.size},
                         {"mimeType", m.media.mime},
                         {"kind", to_string(m.media.kind)},
                         {"user", m.user},
                         {"appCreated", !m.app.empty()},
                         {"albums", item_albums[m.id]},
                         {"uploadToken", m.upload_token},
                         {"createdAt", to_rfc3339(m.created_at)}});
    }
    std::size_t unused = 0;
    for (const auto& [k, t] : data_.upload_tokens)
        if (t.uses == 0)
            ++unused;
    return {{"albums", albums},
            {"mediaItems", items},
            {"uploadTokens", data_.upload_tokens.size()},
            {"unusedUploadTokens", unused},
            {"resumableSessions", data_.sessions.size()},
            {"bytesReceived", data_.bytes_received}};
}

std::uint64_t Store::version() const {
    std::lock_guard lock(mu_);
    return data_.version;
}

void Store::clear() {
    std::lock_guard lock(mu_);
    const auto v = data_.version;
    data_ = StoreData{};
    data_.version = v + 1;
}

}  // namespace gpe
