#include "library_json.hpp"

#include <cstdio>

#include "ids.hpp"
#include "sha256.hpp"

namespace gpe {

using nlohmann::json;

std::string base_url_for(const std::string& id, SysTime now) {
    // baseUrls expire after ~60 min: they change every hour.
    const auto hour = to_unix_seconds(now) / 3600;
    const auto d = sha256(id + ":" + std::to_string(hour));
    const std::string raw(reinterpret_cast<const char*>(d.data()), d.size());
    return "https://lh3.googleusercontent.com/lr/AAJ1LK" + base64url_encode(raw + raw + raw);
}

json album_json(const StoreData& d, const AlbumRecord& a, const RenderEnv& env) {
    json j;
    j["id"] = a.id;
    if (!a.title.empty())
        j["title"] = a.title;
    j["productUrl"] = "https://photos.google.com/lr/album/" + a.id;
    if (!a.app.empty() && a.app == env.client_id)
        j["isWriteable"] = true;
    if (!a.items.empty())
        j["mediaItemsCount"] = std::to_string(a.items.size());
    const std::string cover = !a.cover_item.empty() ? a.cover_item
                              : a.items.empty()     ? std::string{}
                                                    : a.items.front();
    if (!cover.empty() && d.items.contains(cover)) {
        j["coverPhotoBaseUrl"] = base_url_for(cover, env.now);
        j["coverPhotoMediaItemId"] = cover;
    }
    return j;
}

json media_item_json(const MediaItemRecord& m, const RenderEnv& env) {
    json j;
    j["id"] = m.id;
    if (!m.description.empty())
        j["description"] = m.description;
    j["productUrl"] = "https://photos.google.com/lr/photo/" + m.id;
    j["baseUrl"] = base_url_for(m.id, env.now);
    j["mimeType"] = m.media.mime;
    json md;
    md["creationTime"] = to_rfc3339(m.creation_time);
    if (m.media.width > 0)
        md["width"] = std::to_string(m.media.width);
    if (m.media.height > 0)
        md["height"] = std::to_string(m.media.height);
    if (m.media.kind == MediaKind::video) {
        const bool ready = env.now >= m.created_at + std::chrono::seconds(env.video_processing_s);
        md["video"] = {{"status", ready ? "READY" : "PROCESSING"}};
    } else {
        md["photo"] = json::object();
    }
    j["mediaMetadata"] = md;
    j["filename"] = m.filename;
    return j;
}

std::string date_file_name(SysTime t, const std::string& ext) {
    const Ymd d = to_ymd(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
    return std::string(buf) + (ext.empty() ? "" : "." + ext);
}

}  // namespace gpe
