#include "media_magic.hpp"

#include <array>
#include <cstring>

namespace gpe {

namespace {

std::uint32_t be16(std::string_view s, std::size_t at) {
    return (static_cast<unsigned char>(s[at]) << 8) | static_cast<unsigned char>(s[at + 1]);
}
std::uint32_t be32(std::string_view s, std::size_t at) {
    return (be16(s, at) << 16) | be16(s, at + 2);
}
std::uint32_t le16(std::string_view s, std::size_t at) {
    return static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8);
}
std::uint32_t le32(std::string_view s, std::size_t at) {
    return le16(s, at) | (le16(s, at + 2) << 16);
}
std::uint32_t le24(std::string_view s, std::size_t at) {
    return le16(s, at) | (static_cast<unsigned char>(s[at + 2]) << 16);
}

MediaInfo photo(std::string mime, std::string ext) {
    return {MediaKind::photo, std::move(mime), std::move(ext), 0, 0};
}
MediaInfo video(std::string mime, std::string ext) {
    return {MediaKind::video, std::move(mime), std::move(ext), 0, 0};
}

void jpeg_size(std::string_view s, MediaInfo& m) {
    std::size_t i = 2;
    while (i + 9 < s.size()) {
        if (static_cast<unsigned char>(s[i]) != 0xFF) {
            ++i;
            continue;
        }
        const unsigned marker = static_cast<unsigned char>(s[i + 1]);
        if (marker == 0xFF) {
            ++i;
            continue;
        }
        if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            i += 2;
            continue;
        }
        const std::size_t len = be16(s, i + 2);
        const bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            m.height = be16(s, i + 5);
            m.width = be16(s, i + 7);
            return;
        }
        if (marker == 0xDA || len < 2)
            return;  // image data begins: no SOF before it
        i += 2 + len;
    }
}

MediaInfo from_ftyp(std::string_view s) {
    // ISO base media: size(4) "ftyp" major_brand(4) minor(4) compatible brands...
    const std::uint32_t box = be32(s, 0);
    std::size_t end = std::min<std::size_t>(box > 16 ? box : 16, s.size());
    auto has_brand = [&](std::string_view b) {
        if (s.substr(8, 4) == b)
            return true;
        for (std::size_t i = 16; i + 4 <= end; i += 4)
            if (s.substr(i, 4) == b)
                return true;
        return false;
    };
    const std::string_view major = s.substr(8, 4);
    if (major == "avif" || major == "avis")
        return photo("image/avif", "avif");
    if (major == "heic" || major == "heix" || major == "heim" || major == "heis" ||
        major == "hevc" || major == "hevx")
        return photo("image/heic", "heic");
    if (major == "mif1" || major == "msf1") {
        if (has_brand("avif"))
            return photo("image/avif", "avif");
        return photo("image/heif", "heif");
    }
    if (major == "qt  ")
        return video("video/quicktime", "mov");
    if (major.substr(0, 3) == "3gp")
        return video("video/3gpp", "3gp");
    if (major.substr(0, 3) == "3g2")
        return video("video/3gpp2", "3g2");
    if (major == "M4V " || major == "M4VH" || major == "M4VP")
        return video("video/x-m4v", "m4v");
    if (major == "crx ")
        return photo("image/x-canon-cr3", "cr3");
    // isom, iso2..iso9, mp41, mp42, avc1, dash, MSNV, XAVC, ... are MP4 video.
    // Audio-only brands (M4A, M4B) are not media the service accepts.
    if (major == "M4A " || major == "M4B " || major == "M4P ")
        return {};
    return video("video/mp4", "mp4");
}

}  // namespace

MediaInfo detect_media(std::string_view s) {
    const auto starts = [&](std::string_view magic, std::size_t at = 0) {
        return s.size() >= at + magic.size() && s.substr(at, magic.size()) == magic;
    };
    if (starts("\xFF\xD8\xFF")) {
        MediaInfo m = photo("image/jpeg", "jpg");
        jpeg_size(s, m);
        return m;
    }
    if (starts("\x89PNG\r\n\x1a\n")) {
        MediaInfo m = photo("image/png", "png");
        if (s.size() >= 24 && s.substr(12, 4) == "IHDR") {
            m.width = be32(s, 16);
            m.height = be32(s, 20);
        }
        return m;
    }
    if (starts("GIF87a") || starts("GIF89a")) {
        MediaInfo m = photo("image/gif", "gif");
        if (s.size() >= 10) {
            m.width = le16(s, 6);
            m.height = le16(s, 8);
        }
        return m;
    }
    if (starts("RIFF") && s.size() >= 12) {
        if (s.substr(8, 4) == "WEBP") {
            MediaInfo m = photo("image/webp", "webp");
            if (s.size() >= 30 && s.substr(12, 4) == "VP8X") {
                m.width = le24(s, 24) + 1;
                m.height = le24(s, 27) + 1;
            } else if (s.size() >= 30 && s.substr(12, 4) == "VP8 ") {
                m.width = le16(s, 26) & 0x3fff;
                m.height = le16(s, 28) & 0x3fff;
            } else if (s.size() >= 25 && s.substr(12, 4) == "VP8L") {
                const std::uint32_t b = le32(s, 21);
                m.width = (b & 0x3fff) + 1;
                m.height = ((b >> 14) & 0x3fff) + 1;
            }
            return m;
        }
        if (s.substr(8, 4) == "AVI ")
            return video("video/x-msvideo", "avi");
        return {};
    }
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
        // TIFF and the TIFF-based RAW formats (DNG, NEF, CR2, ARW ...).
        if (s.size() >= 10 && starts("CR", 8))
            return photo("image/x-canon-cr2", "cr2");
        return photo("image/tiff", "tif");
    }
    if (starts("BM") && s.size() >= 26) {
        const std::uint32_t header = le32(s, 14);
        if (header == 12 || header == 40 || header == 52 || header == 56 || header == 108 ||
            header == 124) {
            MediaInfo m = photo("image/bmp", "bmp");
            if (header == 12) {
                m.width = le16(s, 18);
                m.height = le16(s, 20);
            } else {
                m.width = static_cast<std::int32_t>(le32(s, 18));
                const auto h = static_cast<std::int32_t>(le32(s, 22));
                m.height = h < 0 ? -h : h;
            }
            return m;
        }
        return {};
    }
    if (starts(std::string_view("\0\0\1\0", 4)) && s.size() >= 6 && le16(s, 4) > 0)
        return photo("image/x-icon", "ico");
    if (s.size() >= 12 && s.substr(4, 4) == "ftyp")
        return from_ftyp(s);
    if (s.size() >= 8 && (s.substr(4, 4) == "moov" || s.substr(4, 4) == "mdat" ||
                          s.substr(4, 4) == "wide" || s.substr(4, 4) == "free"))
        return video("video/quicktime", "mov");
    if (starts("\x1A\x45\xDF\xA3")) {
        if (s.find("webm") != std::string_view::npos && s.find("webm") < 64)
            return video("video/webm", "webm");
        return video("video/x-matroska", "mkv");
    }
    if (starts("\x30\x26\xB2\x75\x8E\x66\xCF\x11"))
        return video("video/x-ms-wmv", "wmv");
    if (starts(std::string_view("\0\0\1\xBA", 4)) || starts(std::string_view("\0\0\1\xB3", 4)))
        return video("video/mpeg", "mpg");
    // MPEG transport stream (.mts/.m2ts/.m2t): 0x47 sync every 188 (or 192) bytes.
    if (s.size() >= 377 && s[0] == 0x47 && s[188] == 0x47 && s[376] == 0x47)
        return video("video/mp2t", "mts");
    if (s.size() >= 389 && s[4] == 0x47 && s[196] == 0x47 && s[388] == 0x47)
        return video("video/mp2t", "m2ts");
    if (starts("FUJIFILMCCD-RAW"))
        return photo("image/x-fuji-raf", "raf");
    if (starts("IIRO") || starts("IIRS"))
        return photo("image/x-olympus-orf", "orf");
    return {};
}

std::string_view to_string(MediaKind k) {
    switch (k) {
        case MediaKind::photo:
            return "photo";
        case MediaKind::video:
            return "video";
        default:
            return "none";
    }
}

MediaKind media_kind_from_string(std::string_view s) {
    if (s == "photo")
        return MediaKind::photo;
    if (s == "video")
        return MediaKind::video;
    return MediaKind::none;
}

}  // namespace gpe
