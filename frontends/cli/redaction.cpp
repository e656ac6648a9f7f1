#include "redaction.hpp"

#include <array>
#include <regex>

namespace photosync::cli {

namespace {

struct Rule {
    std::regex pattern;
    const char* replacement;
};

const std::array<Rule, 4>& rules() {
    static const std::array<Rule, 4> r{{
        // key=value or "key": "value" for the OAuth fields that are secrets.
        {std::regex(
             R"re((access_token|refresh_token|client_secret|code|id_token)("?\s*[:=]\s*"?)[^"&\s,}]+)re"),
         "$1$2[redacted]"},
        {std::regex(R"re((Bearer\s+)[A-Za-z0-9._~+/=-]+)re", std::regex::icase), "$1[redacted]"},
        // Google's token shapes, wherever they appear.
        {std::regex(R"re(ya29\.[A-Za-z0-9._-]+|1//[A-Za-z0-9._-]{10,})re"), "[redacted]"},
        {std::regex(R"re(GOCSPX-[A-Za-z0-9._-]+)re"), "[redacted]"},
    }};
    return r;
}

}  // namespace

std::string redact(std::string_view text) {
    std::string out(text);
    for (const auto& rule : rules()) {
        out = std::regex_replace(out, rule.pattern, rule.replacement);
    }
    return out;
}

}  // namespace photosync::cli
