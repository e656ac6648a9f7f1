// Albums: found by id (albums.get), by exact title among the albums this app
// created (albums.list, every page), or created (albums.create). Only
// app-created albums can take items; `isWriteable` says so.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api_client.hpp"
#include "photosync/sdk/types.hpp"
#include "settings.hpp"

namespace photosync::gphotos {

inline constexpr std::uint64_t kAlbumCapacity = 20000;
inline constexpr std::size_t kMaxTitle = 500;

// nullopt when no such album is visible to the app.
sdk::awaitable<sdk::Result<std::optional<sdk::Container>>> get_album(ApiClient& api,
                                                                     const Settings& settings,
                                                                     std::string id);

// The first app-created album titled exactly `title`, if any.
sdk::awaitable<sdk::Result<std::optional<sdk::Container>>> find_album(ApiClient& api,
                                                                      const Settings& settings,
                                                                      std::string title);

sdk::awaitable<sdk::Result<sdk::Container>> create_album(ApiClient& api, const Settings& settings,
                                                         std::string title);

// Every item of the album (mediaItems.search, every page): id and file name.
sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> list_album_items(ApiClient& api,
                                                                           const Settings& settings,
                                                                           std::string album_id);

// An Album JSON object as a Container. Errors: protocol (no id).
[[nodiscard]] sdk::Result<sdk::Container> album_from_json(const nlohmann::json& album);

// What one page of a listing reply holds (the coroutines above fetch the
// pages; these read them, without I/O):
// - albums.list: the first album titled exactly `title` (nullopt: not on
//   this page). Errors: protocol (that album has no id).
[[nodiscard]] sdk::Result<std::optional<sdk::Container>> album_titled(const nlohmann::json& page,
                                                                      std::string_view title);
// - mediaItems.search: the items with an id (id and file name).
[[nodiscard]] std::vector<sdk::RemoteItem> items_in_page(const nlohmann::json& page);
// - either: the next page's token, empty on the last page.
[[nodiscard]] std::string next_page_token(const nlohmann::json& page);

}  // namespace photosync::gphotos
