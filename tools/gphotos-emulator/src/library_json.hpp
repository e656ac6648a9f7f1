#pragma once
// JSON shapes of Album and MediaItem exactly as the API returns them
// (proto3 JSON: int64 as strings, default values omitted).

#include <nlohmann/json.hpp>
#include <string>

#include "clock.hpp"
#include "store.hpp"

namespace gpe {

struct RenderEnv {
    SysTime now;
    std::string client_id;  // the calling app: decides isWriteable
    int video_processing_s = 0;
};

nlohmann::json album_json(const StoreData& d, const AlbumRecord& a, const RenderEnv& env);
nlohmann::json media_item_json(const MediaItemRecord& m, const RenderEnv& env);
// The item name Google shows when no file name was given: the upload date.
std::string date_file_name(SysTime t, const std::string& ext);
std::string base_url_for(const std::string& id, SysTime now);

}  // namespace gpe
