#pragma once
// Opaque page tokens: they bind to the query they came from (fingerprint),
// and to a snapshot of the store so that new items don't shift later pages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gpe {

struct PageCursor {
    std::string fingerprint;
    std::uint64_t snapshot = 0;  // highest seq visible to the listing
    std::uint64_t offset = 0;
};

std::string encode_page_token(const PageCursor& c);
std::optional<PageCursor> decode_page_token(std::string_view token);
std::string query_fingerprint(std::string_view text);

// pageSize handling shared by all listings: 0/absent → default, above max →
// clamped (the docs say fewer items may come back), negative → error.
struct PageSize {
    bool ok = true;
    int value = 0;
};
PageSize resolve_page_size(std::int64_t requested, int def, int max);

}  // namespace gpe
