#pragma once
// Decides from the first bytes whether an upload is a photo or a video the
// service would accept, and reads the pixel size where the header allows.

#include <cstdint>
#include <string>
#include <string_view>

namespace gpe {

enum class MediaKind { none, photo, video };

struct MediaInfo {
    MediaKind kind = MediaKind::none;
    std::string mime;       // "image/jpeg", ... empty when unknown
    std::string extension;  // "jpg", ... for date-named items
    std::int64_t width = 0;
    std::int64_t height = 0;
};

// How many leading bytes detect_media wants to see (more is ignored).
inline constexpr std::size_t kMagicPrefixBytes = 64 * 1024;

MediaInfo detect_media(std::string_view head);
std::string_view to_string(MediaKind k);
MediaKind media_kind_from_string(std::string_view s);

}  // namespace gpe
