// Shared by the fuzz targets: a promise check that fails loudly (libFuzzer
// saves the input as a crash, tools/fuzz fails).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace photosync::fuzz {

// A broken promise: print what and stop (libFuzzer keeps the input).
[[noreturn]] inline void broken(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz: promise broken: %s\n  %.*s\n", what,
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

#define PHOTOSYNC_FUZZ_CHECK(condition, detail)            \
    do {                                                   \
        if (!(condition)) {                                \
            ::photosync::fuzz::broken(#condition, detail); \
        }                                                  \
    } while (false)

// One line of text, as messages must be: no CR, LF or other control character.
[[nodiscard]] inline bool is_one_line(std::string_view text) {
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            return false;
        }
    }
    return true;
}

}  // namespace photosync::fuzz
