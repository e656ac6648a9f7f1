#include "paging.hpp"

#include "http_util.hpp"
#include "ids.hpp"
#include "sha256.hpp"

namespace gpe {

std::string query_fingerprint(std::string_view text) {
    return to_hex(sha256(text)).substr(0, 16);
}

std::string encode_page_token(const PageCursor& c) {
    const std::string raw =
        "pt1|" + c.fingerprint + "|" + std::to_string(c.snapshot) + "|" + std::to_string(c.offset);
    const std::string check = query_fingerprint("salt:" + raw).substr(0, 8);
    return base64url_encode(raw + "|" + check);
}

std::optional<PageCursor> decode_page_token(std::string_view token) {
    const auto raw = base64_decode(token);
    if (!raw)
        return std::nullopt;
    const auto parts = split(*raw, '|');
    if (parts.size() != 5 || parts[0] != "pt1")
        return std::nullopt;
    const std::string body = parts[0] + "|" + parts[1] + "|" + parts[2] + "|" + parts[3];
    if (query_fingerprint("salt:" + body).substr(0, 8) != parts[4])
        return std::nullopt;
    const auto snap = parse_u64(parts[2]);
    const auto off = parse_u64(parts[3]);
    if (!snap || !off)
        return std::nullopt;
    return PageCursor{parts[1], *snap, *off};
}

PageSize resolve_page_size(std::int64_t requested, int def, int max) {
    if (requested < 0)
        return {false, 0};
    if (requested == 0)
        return {true, def};
    return {true, static_cast<int>(std::min<std::int64_t>(requested, max))};
}

}  // namespace gpe
