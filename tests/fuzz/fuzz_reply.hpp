// An HTTP reply read from plain text, so that a seed is a reply as the
// server sends it:
//
//   HTTP/1.1 429 Too Many Requests        (or just "429")
//   Retry-After: 30
//   Content-Type: application/json
//                                         (an empty line)
//   {"error": {"code": 429, ...}}         (the body: everything after it)
//
// Lines may end in CRLF or LF. Header lines that Beast's parser would refuse
// (no colon, a name with other than token characters, control characters in
// the value) are skipped, so every input gives a reply the client could have
// received. Lenient on purpose: every input reaches the code under test.
#pragma once

#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "http_client.hpp"

namespace photosync::fuzz {

namespace detail {

inline std::string_view next_line(std::string_view& rest, bool& found) {
    auto nl = rest.find('\n');
    found = nl != std::string_view::npos;
    auto line = rest.substr(0, found ? nl : rest.size());
    rest.remove_prefix(found ? nl + 1 : rest.size());
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

inline bool is_token_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace detail

[[nodiscard]] inline gphotos::HttpResponse response_from(std::string_view data) {
    gphotos::HttpResponse r;
    bool more = false;
    auto status_line = detail::next_line(data, more);
    if (status_line.starts_with("HTTP/")) {
        auto space = status_line.find(' ');
        status_line.remove_prefix(space == std::string_view::npos ? status_line.size() : space + 1);
    }
    for (std::size_t i = 0; i < 3 && i < status_line.size(); ++i) {
        char c = status_line[i];
        if (c < '0' || c > '9') {
            break;
        }
        r.status = r.status * 10 + static_cast<unsigned>(c - '0');
    }
    while (more) {
        auto line = detail::next_line(data, more);
        if (line.empty()) {
            break;
        }
        auto colon = line.find(':');
        if (colon == 0 || colon == std::string_view::npos) {
            continue;
        }
        auto name = line.substr(0, colon);
        bool valid = true;
        for (char c : name) {
            valid = valid && detail::is_token_char(c);
        }
        auto value = detail::trim(line.substr(colon + 1));
        for (char c : value) {
            auto u = static_cast<unsigned char>(c);
            valid = valid && (u >= 0x20 || c == '\t') && u != 0x7f;
        }
        if (valid) {
            r.headers.insert(name, value);
        }
    }
    r.body = std::string(data);
    return r;
}

}  // namespace photosync::fuzz
