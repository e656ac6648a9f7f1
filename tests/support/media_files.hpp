// Writes files that look like real photos and videos (real headers, random
// payload) for tests and benchmarks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace photosync::test {

enum class Fake { jpeg, png, mp4, text };

// Writes `size` bytes (header included) of pseudo-random content seeded by `seed`.
void write_media(const std::filesystem::path& path, Fake kind, std::size_t size,
                 std::uint64_t seed);

// The whole content of a file.
std::string read_file(const std::filesystem::path& path);

}  // namespace photosync::test
