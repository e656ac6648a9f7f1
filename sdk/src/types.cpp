#include "photosync/sdk/types.hpp"

#include "photosync/sdk/plugin.hpp"

namespace photosync::sdk {

std::string_view to_string(MediaKind kind) noexcept {
    return kind == MediaKind::video ? "video" : "photo";
}

std::string_view to_string(PluginKind kind) noexcept {
    return kind == PluginKind::destination ? "destination" : "source";
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
    }
    // Reject overlong encodings and surrogates.
    if (len == 2 && c < 0xC2)
        return 0;
    if (len == 3 && c == 0xE0 && byte(i + 1) < 0xA0)
        return 0;
    if (len == 3 && c == 0xED && byte(i + 1) >= 0xA0)
        return 0;
    if (len == 4 &&
        (c > 0xF4 || (c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) >= 0x90)))
        return 0;
    return len;
}

}  // namespace

std::string display_path(std::string_view raw) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        auto c = static_cast<unsigned char>(raw[i]);
        std::size_t len = utf8_sequence_length(raw, i);
        if (len == 0 || c < 0x20 || c == 0x7F || c == '\\') {
            if (c == '\\') {
                out += "\\\\";
            } else {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            }
            ++i;
            continue;
        }
        out.append(raw.substr(i, len));
        i += len;
    }
    return out;
}

}  // namespace photosync::sdk
