#include "static_assets.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

#include "responses.hpp"

namespace photosync::server {

namespace {

std::string_view content_type(std::string_view path) {
    auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
    if (ends(".html")) {
        return "text/html; charset=utf-8";
    }
    if (ends(".js")) {
        return "text/javascript; charset=utf-8";
    }
    if (ends(".css")) {
        return "text/css; charset=utf-8";
    }
    if (ends(".svg")) {
        return "image/svg+xml";
    }
    if (ends(".png")) {
        return "image/png";
    }
    if (ends(".json")) {
        return "application/json";
    }
    return "application/octet-stream";
}

// FNV-1a of the content: changes whenever the file does.
std::string etag_of(const EmbeddedAsset& a) {
    std::uint64_t h = 1469598103934665603ULL;
    for (std::size_t i = 0; i < a.size; ++i) {
        h = (h ^ a.data[i]) * 1099511628211ULL;
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace

const EmbeddedAsset* find_asset(std::string_view path) noexcept {
    if (path == "/" || path.empty()) {
        path = "/index.html";
    }
    for (std::size_t i = 0; i < kEmbeddedAssetCount; ++i) {
        if (path == kEmbeddedAssets[i].path) {
            return &kEmbeddedAssets[i];
        }
    }
    return nullptr;
}

std::optional<Response> asset_response(const Request& request, std::string_view path) {
    const EmbeddedAsset* asset = find_asset(path);
    if (asset == nullptr) {
        return std::nullopt;
    }
    std::string etag = etag_of(*asset);
    bool not_modified = request[http::field::if_none_match] == etag;
    Response r{not_modified ? http::status::not_modified : http::status::ok, request.version()};
    std::string_view type = content_type(asset->path);
    r.set(http::field::content_type, type);
    r.set(http::field::etag, etag);
    r.set(http::field::cache_control, "no-cache");  // revalidate: a new build shows at once
    if (type.starts_with("text/html")) {
        r.set("Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        r.set("X-Frame-Options", "DENY");
    }
    add_common_headers(r);
    if (!not_modified) {
        r.body().assign(reinterpret_cast<const char*>(asset->data), asset->size);
    }
    r.prepare_payload();
    if (request.method() == http::verb::head) {
        // Same headers as GET, no body.
        r.content_length(asset->size);
        r.body().clear();
    }
    return r;
}

}  // namespace photosync::server
