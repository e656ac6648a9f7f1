// Replies of the album calls (plugins/gphotos/albums.cpp, api_client.cpp):
// a body read as a JSON object (parse_json_object), then as an Album
// (albums.get, albums.create), as a page of albums.list (the album with a
// given title) and as a page of mediaItems.search (the album's items). An
// album found has an id and the title asked for; every item listed has an id.
#include <cstddef>
#include <cstdint>
#include <string>

#include "albums.hpp"
#include "fuzz_support.hpp"

using namespace photosync;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string body(reinterpret_cast<const char*>(data), size);
    auto reply = gphotos::parse_json_object(body, "listing albums");
    if (!reply) {
        PHOTOSYNC_FUZZ_CHECK(reply.error().kind == sdk::ErrorKind::protocol, reply.error().message);
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(reply.error().message), reply.error().message);
        return 0;
    }
    PHOTOSYNC_FUZZ_CHECK(reply->is_object(), body);

    if (auto album = gphotos::album_from_json(*reply)) {
        PHOTOSYNC_FUZZ_CHECK(!album->id.empty(), body);
    }

    for (const char* title : {"Trip 2026", ""}) {
        auto found = gphotos::album_titled(*reply, title);
        if (found && *found) {
            PHOTOSYNC_FUZZ_CHECK(!(*found)->id.empty(), body);
            PHOTOSYNC_FUZZ_CHECK((*found)->title == title, body);
        } else if (!found) {
            PHOTOSYNC_FUZZ_CHECK(found.error().kind == sdk::ErrorKind::protocol,
                                 found.error().message);
        }
    }

    for (const auto& item : gphotos::items_in_page(*reply)) {
        PHOTOSYNC_FUZZ_CHECK(!item.id.empty(), body);
    }
    (void)gphotos::next_page_token(*reply);
    return 0;
}
