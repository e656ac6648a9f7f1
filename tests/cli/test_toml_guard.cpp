// The guard in front of toml++ 3.3 (frontends/cli/toml_guard.cpp): letters
// beyond ASCII where TOML allows them (strings, comments, quoted names) pass
// whatever the document's shape; anywhere else they are named with their
// line. tests/fuzz/fuzz_config checks the other half: nothing it lets
// through reaches toml++'s undefined behaviour.
#include <catch2/catch.hpp>

#include "toml_guard.hpp"

using photosync::cli::toml_unsafe_character;
using Where = photosync::cli::TomlGuardFinding::Where;

TEST_CASE("the TOML guard lets letters beyond ASCII through in strings and comments") {
    const char* documents[] = {
        // Every kind of string, in keys, headers, values, arrays, inline tables.
        "# zdj\u0119cia \u00a7 \u3042\n"
        "[jobs.\"wakacje \u0142\u00f3d\u017a\"]\n"
        "folder = \"/home/ana/Zdj\u0119cia\"  # \u0142\n"
        "album = '\u0141\u00f3d\u017a \u2014 2026'\n"
        "\"cl\u00e9\" = \"\u00e9t\u00e9\"\n"
        "'\u3042' = 1\n"
        "include = [\n  \"*.jpg\", # \u00a7\n  '\u00a7*.png',\n]\n"
        "opts = { a = \"\u0142\", \"\u00e9\" = [1, 2], b = {} }\n"
        "[jobs.x.\"\u00e9\".'\u3042']\n"
        "[[list]]\n"
        "when = 1979-05-27 07:32:00Z\n"
        "at = 07:32:00\n"
        "f = -0.5e+3\n"
        "b = true\n",
        // Multi-line strings, with a line-ending backslash before ASCII.
        "s = \"\"\"\n\u0141\u00f3d\u017a \\\n    and more \u00e9\"\"\"\n"
        "t = '''\u00a7 \\ \u3042'''\n"
        "u = \"\"\"ends with quotes \u00e9\"\"\"\"\"\n"
        "v = '''x''''' \n",
        // CRLF line endings and a byte order mark.
        "\xEF\xBB\xBF[defaults]\r\nalbum = \"\u0141\u00f3d\u017a\"\r\n# \u00e9\r\n",
        // Escapes in basic strings.
        "a = \"quote \\\" then \u00e9\"\nb = \"backslash \\\\\" # \u00e9\n",
    };
    for (const char* text : documents) {
        INFO(text);
        auto finding = toml_unsafe_character(text);
        CHECK_FALSE(finding.has_value());
    }
}

TEST_CASE("the TOML guard names a letter beyond ASCII outside quotes, with its line") {
    struct Case {
        const char* text;
        std::size_t line;
        const char* character;
        Where where;
    };
    const Case cases[] = {
        {"[jobs.wakacje-\u0142\u00f3d\u017a]\n", 1, "\u0142", Where::outside_quotes},
        {"a = 1\n\u0107 = 2\n", 2, "\u0107", Where::outside_quotes},
        {"a = 8\u015b\n", 1, "\u015b", Where::outside_quotes},
        {"a = \"x\" \u3042\n", 1, "\u3042", Where::outside_quotes},
        {"[a]\nb = [1,\n  2\u00e9]\n", 3, "\u00e9", Where::outside_quotes},
        {"s = \"\"\"\\\n\u00a7\"\"\"\n", 2, "\u00a7", Where::after_backslash},
        {"s = \"\"\"a\\\u00e9\"\"\"\n", 1, "\u00e9", Where::after_backslash},
        // Once the text is no longer TOML, any of the unsafe range is named.
        {"a = = \"\u0142\"\n", 1, "\u0142", Where::after_a_mistake},
        {"\"\"\"]>\\\u2eff]U", 1, "\u2eff", Where::after_a_mistake},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto finding = toml_unsafe_character(c.text);
        REQUIRE(finding.has_value());
        CHECK(finding->line == c.line);
        CHECK(finding->character == c.character);
        CHECK(finding->where == c.where);
    }
    // Not UTF-8 outside quotes: shown escaped.
    auto bytes = toml_unsafe_character("a = \xff\n");
    REQUIRE(bytes.has_value());
    CHECK(bytes->character == "\\xFF");
}
