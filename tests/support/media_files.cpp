#include "media_files.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace photosync::test {

void write_media(const std::filesystem::path& path, Fake kind, std::size_t size,
                 std::uint64_t seed) {
    using namespace std::string_view_literals;
    std::string_view header;
    switch (kind) {
        case Fake::jpeg:
            header = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"sv;
            break;
        case Fake::png:
            header = "\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"sv;
            break;
        case Fake::mp4:
            header =
                "\x00\x00\x00\x18"
                "ftypmp42\x00\x00\x00\x00mp42isom"sv;
            break;
        case Fake::text:
            header = "just some notes, not a photo\n"sv;
            break;
    }
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
    std::string content(header.substr(0, std::min(header.size(), size)));
    std::mt19937_64 rng(seed);
    while (content.size() < size) {
        auto v = rng();
        content.append(reinterpret_cast<const char*>(&v),
                       std::min<std::size_t>(8, size - content.size()));
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace photosync::test
