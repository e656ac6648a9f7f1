#include "redaction.hpp"

#include <array>
#include <cctype>

namespace photosync::cli {

namespace {

constexpr std::string_view kRedacted = "[redacted]";

bool token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-' ||
           c == '~' || c == '+' || c == '/' || c == '=';
}

bool google_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view word) {
    if (text.size() - at < word.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) {
            return false;
        }
    }
    return true;
}

// After a secret's key: optional quote, spaces, ':' or '=', spaces, quote.
// Returns where the value starts, or npos when this is not key=value.
std::size_t value_start(std::string_view text, std::size_t i) {
    if (i < text.size() && text[i] == '"')
        ++i;
    while (i < text.size() && text[i] == ' ')
        ++i;
    if (i >= text.size() || (text[i] != ':' && text[i] != '='))
        return std::string_view::npos;
    ++i;
    while (i < text.size() && text[i] == ' ')
        ++i;
    if (i < text.size() && text[i] == '"')
        ++i;
    return i;
}

}  // namespace

// A hand-written scanner rather than <regex>: it runs on every log line.
std::string redact(std::string_view text) {
    static constexpr std::array<std::string_view, 5> kKeys{"access_token", "refresh_token",
                                                           "client_secret", "id_token", "code"};
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    auto skip_value = [&](std::size_t from, auto accept) {
        std::size_t end = from;
        while (end < text.size() && accept(text[end]))
            ++end;
        return end;
    };
    while (i < text.size()) {
        bool done = false;
        // key=value / "key": "value"
        for (auto key : kKeys) {
            if (text.compare(i, key.size(), key) != 0) {
                continue;
            }
            auto start = value_start(text, i + key.size());
            if (start == std::string_view::npos) {
                continue;
            }
            auto end = skip_value(start, [](char c) {
                return c != '"' && c != '&' && c != ',' && c != '}' && c != ' ' && c != '\n' &&
                       c != '\t' && c != '\r';
            });
            if (end == start) {
                continue;
            }
            out.append(text.substr(i, start - i)).append(kRedacted);
            i = end;
            done = true;
            break;
        }
        if (done) {
            continue;
        }
        // Authorization: Bearer <token>
        if (starts_with_nocase(text, i, "bearer ")) {
            auto start = i + 7;
            while (start < text.size() && text[start] == ' ')
                ++start;
            auto end = skip_value(start, token_char);
            if (end > start) {
                out.append(text.substr(i, start - i)).append(kRedacted);
                i = end;
                continue;
            }
        }
        // Google's token shapes, wherever they appear.
        if (text.compare(i, 5, "ya29.") == 0 || text.compare(i, 7, "GOCSPX-") == 0) {
            i = skip_value(i, google_token_char);
            out.append(kRedacted);
            continue;
        }
        if (text.compare(i, 3, "1//") == 0) {
            auto end = skip_value(i + 3, google_token_char);
            if (end - (i + 3) >= 10) {
                out.append(kRedacted);
                i = end;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace photosync::cli
