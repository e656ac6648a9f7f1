#pragma once
// Library endpoints (albums.*, mediaItems.*) as pure functions over the store
// data. Callers hold the store lock, have authenticated the caller and have
// validated the body against the discovery schema.

#include <nlohmann/json.hpp>
#include <string>

#include "config.hpp"
#include "http_types.hpp"
#include "ids.hpp"
#include "library_json.hpp"
#include "oauth.hpp"
#include "store.hpp"

namespace gpe {

struct LibraryEnv {
    const Config& cfg;
    SysTime now;
    IdGenerator& ids;
    const Principal& who;
    RenderEnv render() const { return {now, who.client_id, cfg.video_processing_s}; }
};

// Albums (library_albums.cpp).
Response albums_create(StoreData& d, const LibraryEnv& env, const nlohmann::json& body);
Response albums_list(StoreData& d, const LibraryEnv& env, const Request& req);
Response albums_get(StoreData& d, const LibraryEnv& env, const std::string& id);
Response albums_patch(StoreData& d, const LibraryEnv& env, const std::string& id,
                      const Request& req, const nlohmann::json& body);
Response albums_batch_add(StoreData& d, const LibraryEnv& env, const std::string& id,
                          const nlohmann::json& body);
Response albums_batch_remove(StoreData& d, const LibraryEnv& env, const std::string& id,
                             const nlohmann::json& body);
Response albums_add_enrichment(StoreData& d, const LibraryEnv& env, const std::string& id,
                               const nlohmann::json& body);

// Media items (library_media_items.cpp).
Response media_batch_create(StoreData& d, const LibraryEnv& env, const nlohmann::json& body);
Response media_search(StoreData& d, const LibraryEnv& env, const nlohmann::json& body);
Response media_list(StoreData& d, const LibraryEnv& env, const Request& req);
Response media_get(StoreData& d, const LibraryEnv& env, const std::string& id);
Response media_batch_get(StoreData& d, const LibraryEnv& env, const Request& req);
Response media_patch(StoreData& d, const LibraryEnv& env, const std::string& id, const Request& req,
                     const nlohmann::json& body);

// Shared helpers.
AlbumRecord* find_album(StoreData& d, const std::string& id, const std::string& user);
bool app_owns(const AlbumRecord& a, const LibraryEnv& env);
MediaItemRecord* visible_item(StoreData& d, const LibraryEnv& env, const std::string& id);
// Parses an int query parameter the way Google reports bad ones.
bool query_int(const Request& req, std::string_view name, std::int64_t& out, Response& err);
Response json_ok(const nlohmann::json& j);

namespace msg {
inline constexpr std::string_view invalid_album_id = "Request contains an invalid album id.";
inline constexpr std::string_view invalid_page_token = "The page token is invalid.";
}  // namespace msg

}  // namespace gpe
