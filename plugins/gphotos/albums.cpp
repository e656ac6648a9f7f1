#include "albums.hpp"

#include "api_errors.hpp"

namespace photosync::gphotos {

namespace http = boost::beast::http;
using json = nlohmann::json;
using sdk::ErrorKind;

namespace {

constexpr int kAlbumPageSize = 50;    // the API's maximum
constexpr int kSearchPageSize = 100;  // the API's maximum
constexpr int kMaxPages = 100000;     // a loop guard against a server that never ends

std::string string_field(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

sdk::Result<sdk::Container> album_from_json(const json& album) {
    if (!album.is_object() || string_field(album, "id").empty()) {
        return sdk::fail(ErrorKind::protocol, "Google Photos sent an album without an id");
    }
    sdk::Container c;
    c.id = string_field(album, "id");
    c.title = string_field(album, "title");
    auto w = album.find("isWriteable");
    c.writable = w != album.end() && w->is_boolean() && w->get<bool>();
    // int64 as a string; absent on empty albums (proto3 JSON).
    c.item_count = 0;
    if (auto n = album.find("mediaItemsCount"); n != album.end()) {
        try {
            c.item_count = n->is_string()            ? std::stoull(n->get<std::string>())
                           : n->is_number_unsigned() ? n->get<std::uint64_t>()
                                                     : 0;
        } catch (...) {
            c.item_count = std::nullopt;
        }
    }
    return c;
}

sdk::Result<std::optional<sdk::Container>> album_titled(const json& page, std::string_view title) {
    if (auto albums = page.find("albums"); albums != page.end() && albums->is_array()) {
        for (const auto& a : *albums) {
            if (a.is_object() && string_field(a, "title") == title) {
                auto c = album_from_json(a);
                if (!c) {
                    return std::unexpected(std::move(c.error()));
                }
                return std::optional<sdk::Container>(std::move(*c));
            }
        }
    }
    return std::optional<sdk::Container>{};
}

std::vector<sdk::RemoteItem> items_in_page(const json& page) {
    std::vector<sdk::RemoteItem> items;
    if (auto list = page.find("mediaItems"); list != page.end() && list->is_array()) {
        for (const auto& m : *list) {
            if (!m.is_object() || string_field(m, "id").empty()) {
                continue;
            }
            items.push_back(
                sdk::RemoteItem{string_field(m, "id"), string_field(m, "filename"), {}});
        }
    }
    return items;
}

std::string next_page_token(const json& page) {
    return string_field(page, "nextPageToken");
}

sdk::awaitable<sdk::Result<std::optional<sdk::Container>>> get_album(ApiClient& api,
                                                                     const Settings& settings,
                                                                     std::string id) {
    auto url = join_url(settings.api_url, "/v1/albums/" + percent_encode(id));
    std::string what = "finding the album by its id";
    json no_body;
    auto album = co_await api.call_json(http::verb::get, std::move(url), std::move(no_body), what);
    if (!album) {
        // Gone, or never visible to this app: look it up by title instead.
        if (album.error().kind == ErrorKind::not_found ||
            album.error().kind == ErrorKind::invalid_input) {
            co_return std::optional<sdk::Container>{};
        }
        co_return std::unexpected(std::move(album.error()));
    }
    auto c = album_from_json(*album);
    if (!c) {
        co_return std::unexpected(std::move(c.error()));
    }
    co_return std::optional<sdk::Container>(std::move(*c));
}

sdk::awaitable<sdk::Result<std::optional<sdk::Container>>> find_album(ApiClient& api,
                                                                      const Settings& settings,
                                                                      std::string title) {
    std::string page_token;
    for (int page = 0; page < kMaxPages; ++page) {
        Params params{{"pageSize", std::to_string(kAlbumPageSize)},
                      {"excludeNonAppCreatedData", "true"}};
        if (!page_token.empty()) {
            params.emplace_back("pageToken", page_token);
        }
        auto url = with_query(join_url(settings.api_url, "/v1/albums"), params);
        std::string what = "listing albums";
        json no_body;
        auto reply =
            co_await api.call_json(http::verb::get, std::move(url), std::move(no_body), what);
        if (!reply) {
            co_return std::unexpected(std::move(reply.error()));
        }
        auto found = album_titled(*reply, title);
        if (!found || *found) {
            co_return std::move(found);
        }
        page_token = next_page_token(*reply);
        if (page_token.empty()) {
            break;
        }
    }
    co_return std::optional<sdk::Container>{};
}

sdk::awaitable<sdk::Result<sdk::Container>> create_album(ApiClient& api, const Settings& settings,
                                                         std::string title) {
    if (title.empty() || title.size() > kMaxTitle) {
        co_return sdk::fail(ErrorKind::invalid_input,
                            "a Google Photos album title must have 1 to 500 characters");
    }
    json body = {{"album", {{"title", title}}}};
    auto url = join_url(settings.api_url, "/v1/albums");
    std::string what = "creating the album";
    auto reply = co_await api.call_json(http::verb::post, std::move(url), std::move(body), what);
    if (!reply) {
        co_return std::unexpected(std::move(reply.error()));
    }
    auto c = album_from_json(*reply);
    if (c && c->title.empty()) {
        c->title = title;
    }
    co_return c;
}

sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> list_album_items(ApiClient& api,
                                                                           const Settings& settings,
                                                                           std::string album_id) {
    std::vector<sdk::RemoteItem> items;
    std::string page_token;
    for (int page = 0; page < kMaxPages; ++page) {
        json body = {{"albumId", album_id}, {"pageSize", kSearchPageSize}};
        if (!page_token.empty()) {
            body["pageToken"] = page_token;
        }
        auto url = join_url(settings.api_url, "/v1/mediaItems:search");
        std::string what = "listing the album";
        auto reply =
            co_await api.call_json(http::verb::post, std::move(url), std::move(body), what);
        if (!reply) {
            co_return std::unexpected(std::move(reply.error()));
        }
        auto page_items = items_in_page(*reply);
        items.insert(items.end(), std::make_move_iterator(page_items.begin()),
                     std::make_move_iterator(page_items.end()));
        page_token = next_page_token(*reply);
        if (page_token.empty()) {
            break;
        }
    }
    co_return items;
}

}  // namespace photosync::gphotos
