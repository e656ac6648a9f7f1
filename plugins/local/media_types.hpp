// Which files are photos and videos: by extension when listing (cheap: no
// file is opened during a scan), confirmed by magic bytes when opened.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "photosync/sdk/types.hpp"

namespace photosync::local {

struct MediaType {
    sdk::MediaKind kind;
    std::string_view mime_type;
};

// By file name (extension, case-insensitive). nullopt: not a photo or video.
[[nodiscard]] std::optional<MediaType> media_type_for(std::string_view file_name);

// True for files never offered: sidecars and OS metadata (.xmp, .aae, .thm,
// .DS_Store, Thumbs.db...).
[[nodiscard]] bool is_sidecar_or_metadata(std::string_view file_name);

// Bytes a magic check needs from the start of a file.
inline constexpr std::size_t kMagicBytes = 512;  // three MPEG-TS packets

// True when `head` starts like any photo or video format we know. Formats
// without a reliable signature are accepted.
[[nodiscard]] bool looks_like_media(std::string_view file_name, std::span<const std::byte> head);

}  // namespace photosync::local
