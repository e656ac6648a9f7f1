// A guard in front of toml++ 3.3 (the version Debian 12 ships), which reaches
// __builtin_unreachable, undefined behaviour, when it asks whether one of
// certain non-ASCII characters (U+00A1 to U+0499, U+2C5E to U+2FFF, U+3001
// to U+3057, U+FB26 to U+FEFE: Latin, Greek and Cyrillic letters, CJK
// punctuation, Hiragana...) is whitespace (toml++ issues #190 and #295,
// fixed upstream by pull request #305; found here by tests/fuzz/fuzz_config,
// input in tests/fuzz/corpus/config/regression-*). It asks that
// of every character outside strings and comments, e.g. [jobs.wakacje-łódź],
// and in a """string""" of the character after a backslash and of the first
// one after a line-ending backslash.
//
// TOML allows letters beyond ASCII only in strings and comments, so the
// guard follows the document's structure and names the first one found
// anywhere else; in a """string""" it names one that follows a backslash.
// Where the text stops making sense as TOML (toml++ will refuse it), it
// names any later character of those ranges, wherever it is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace photosync::cli {

struct TomlGuardFinding {
    enum class Where {
        outside_quotes,   // e.g. [jobs.łódź]
        after_backslash,  // in a """string"""
        after_a_mistake,  // the text stopped being TOML before it
    };
    std::size_t line = 1;
    std::string character;  // display form (valid UTF-8, \xNN escapes)
    Where where = Where::outside_quotes;
};

[[nodiscard]] std::optional<TomlGuardFinding> toml_unsafe_character(std::string_view text);

}  // namespace photosync::cli
