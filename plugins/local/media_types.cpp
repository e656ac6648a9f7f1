#include "media_types.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace photosync::local {

namespace {

using sdk::MediaKind;

struct Entry {
    std::string_view ext;
    MediaKind kind;
    std::string_view mime;
};

// Google Photos' accepted types (reference §6) plus common camera RAW files.
constexpr std::array kTypes{
    Entry{"jpg", MediaKind::photo, "image/jpeg"},
    Entry{"jpeg", MediaKind::photo, "image/jpeg"},
    Entry{"jpe", MediaKind::photo, "image/jpeg"},
    Entry{"png", MediaKind::photo, "image/png"},
    Entry{"gif", MediaKind::photo, "image/gif"},
    Entry{"webp", MediaKind::photo, "image/webp"},
    Entry{"heic", MediaKind::photo, "image/heic"},
    Entry{"heif", MediaKind::photo, "image/heif"},
    Entry{"avif", MediaKind::photo, "image/avif"},
    Entry{"tif", MediaKind::photo, "image/tiff"},
    Entry{"tiff", MediaKind::photo, "image/tiff"},
    Entry{"bmp", MediaKind::photo, "image/bmp"},
    Entry{"ico", MediaKind::photo, "image/x-icon"},
    Entry{"dng", MediaKind::photo, "image/x-adobe-dng"},
    Entry{"cr2", MediaKind::photo, "image/x-canon-cr2"},
    Entry{"cr3", MediaKind::photo, "image/x-canon-cr3"},
    Entry{"nef", MediaKind::photo, "image/x-nikon-nef"},
    Entry{"arw", MediaKind::photo, "image/x-sony-arw"},
    Entry{"orf", MediaKind::photo, "image/x-olympus-orf"},
    Entry{"rw2", MediaKind::photo, "image/x-panasonic-rw2"},
    Entry{"raf", MediaKind::photo, "image/x-fuji-raf"},
    Entry{"pef", MediaKind::photo, "image/x-pentax-pef"},
    Entry{"srw", MediaKind::photo, "image/x-samsung-srw"},
    Entry{"3gp", MediaKind::video, "video/3gpp"},
    Entry{"3g2", MediaKind::video, "video/3gpp2"},
    Entry{"asf", MediaKind::video, "video/x-ms-asf"},
    Entry{"avi", MediaKind::video, "video/x-msvideo"},
    Entry{"divx", MediaKind::video, "video/divx"},
    Entry{"m2t", MediaKind::video, "video/mp2t"},
    Entry{"m2ts", MediaKind::video, "video/mp2t"},
    Entry{"mts", MediaKind::video, "video/mp2t"},
    Entry{"m4v", MediaKind::video, "video/x-m4v"},
    Entry{"mkv", MediaKind::video, "video/x-matroska"},
    Entry{"mmv", MediaKind::video, "video/x-mmv"},
    Entry{"mod", MediaKind::video, "video/mpeg"},
    Entry{"tod", MediaKind::video, "video/mpeg"},
    Entry{"mov", MediaKind::video, "video/quicktime"},
    Entry{"mp4", MediaKind::video, "video/mp4"},
    Entry{"mpg", MediaKind::video, "video/mpeg"},
    Entry{"mpeg", MediaKind::video, "video/mpeg"},
    Entry{"wmv", MediaKind::video, "video/x-ms-wmv"},
};

std::string lower_extension(std::string_view name) {
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) {
        return {};
    }
    std::string ext(name.substr(dot + 1));
    std::ranges::transform(ext, ext.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return ext;
}

bool at(std::span<const std::byte> h, std::size_t offset, std::string_view sig) {
    return h.size() >= offset + sig.size() &&
           std::memcmp(h.data() + offset, sig.data(), sig.size()) == 0;
}

// ISO base media (MP4, MOV, HEIC, AVIF, CR3, 3GP): a box header with a type
// QuickTime files may begin with other top-level atoms than ftyp.
bool iso_bmff(std::span<const std::byte> h) {
    for (std::string_view box : {"ftyp", "moov", "mdat", "wide", "free", "skip", "pnot"}) {
        if (at(h, 4, box)) {
            return true;
        }
    }
    return false;
}

// MPEG transport streams: a 0x47 sync byte at the start of three packets.
bool transport_stream(std::span<const std::byte> h, std::size_t first, std::size_t packet) {
    for (std::size_t i = 0; i < 3; ++i) {
        std::size_t off = first + i * packet;
        if (off >= h.size() || h[off] != std::byte{0x47}) {
            return false;
        }
    }
    return true;
}

// "BM" alone is too common a start: also require a known DIB header size.
bool bmp(std::span<const std::byte> h) {
    if (!at(h, 0, "BM") || h.size() < 18) {
        return false;
    }
    auto dib = std::to_integer<unsigned>(h[14]);
    return h[15] == std::byte{0} && h[16] == std::byte{0} && h[17] == std::byte{0} &&
           (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 108 || dib == 124);
}

}  // namespace

std::optional<MediaType> media_type_for(std::string_view file_name) {
    auto ext = lower_extension(file_name);
    for (const auto& e : kTypes) {
        if (e.ext == ext) {
            return MediaType{e.kind, e.mime};
        }
    }
    return std::nullopt;
}

bool is_sidecar_or_metadata(std::string_view file_name) {
    static constexpr std::array kNames{".DS_Store", "Thumbs.db", "desktop.ini", "Icon\r"};
    if (std::ranges::find(kNames, file_name) != kNames.end() || file_name.starts_with("._")) {
        return true;
    }
    static constexpr std::array kSidecars{"xmp", "aae", "thm", "lrv", "pp3", "dop", "on1", "xml"};
    auto ext = lower_extension(file_name);
    return std::ranges::find(kSidecars, ext) != kSidecars.end();
}

bool looks_like_media(std::string_view file_name, std::span<const std::byte> h) {
    using namespace std::string_view_literals;
    const bool any = at(h, 0, "\xFF\xD8\xFF"sv) ||                    // JPEG
                     at(h, 0, "\x89PNG\r\n\x1A\n"sv) ||               // PNG
                     at(h, 0, "GIF87a"sv) || at(h, 0, "GIF89a"sv) ||  // GIF
                     (at(h, 0, "RIFF"sv) && (at(h, 8, "WEBP"sv) || at(h, 8, "AVI "sv))) ||
                     at(h, 0, "II*\0"sv) || at(h, 0, "MM\0*"sv) ||  // TIFF and TIFF-based RAW
                     at(h, 0, "IIRO"sv) || at(h, 0, "IIRS"sv) || at(h, 0, "IIU\0"sv) ||  // ORF, RW2
                     at(h, 0, "FUJIFILMCCD-RAW"sv) ||                                    // RAF
                     bmp(h) ||                                                           // BMP
                     at(h, 0, "\0\0\1\0"sv) ||                                           // ICO
                     iso_bmff(h) ||                                     // MP4, MOV, HEIC, AVIF, CR3
                     at(h, 0, "\x1A\x45\xDF\xA3"sv) ||                  // Matroska
                     at(h, 0, "\x30\x26\xB2\x75\x8E\x66\xCF\x11"sv) ||  // ASF, WMV
                     at(h, 0, "\0\0\1\xBA"sv) ||
                     at(h, 0, "\0\0\1\xB3"sv) ||  // MPEG program/elementary
                     transport_stream(h, 0, 188) || transport_stream(h, 4, 192);  // MPEG-TS, M2TS
    if (any) {
        return true;
    }
    // No dependable signature for these: trust the extension.
    auto ext = lower_extension(file_name);
    return ext == "mmv";
}

}  // namespace photosync::local
