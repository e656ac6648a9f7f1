// The web page's files, embedded in the binary at build time
// (cmake/embed_files.cmake), served without the token: they hold no data.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "http_types.hpp"

namespace photosync::server {

struct EmbeddedAsset {
    const char* path;  // "/index.html"
    const unsigned char* data;
    std::size_t size;
};

// Defined in the generated web_assets.cpp.
extern const EmbeddedAsset kEmbeddedAssets[];
extern const std::size_t kEmbeddedAssetCount;

[[nodiscard]] const EmbeddedAsset* find_asset(std::string_view path) noexcept;

// GET or HEAD of a page file ("/" is /index.html): the file with its type,
// an ETag (304 when If-None-Match matches) and the page's security headers.
// nullopt when there is no such file.
[[nodiscard]] std::optional<Response> asset_response(const Request& request, std::string_view path);

}  // namespace photosync::server
