#pragma once
// Small pure helpers for URLs, forms and headers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_types.hpp"

namespace gpe {

std::string percent_decode(std::string_view s, bool plus_is_space);
std::string percent_encode(std::string_view s);
// Parses "a=1&b=2" (application/x-www-form-urlencoded rules).
QueryParams parse_query(std::string_view q);
// Splits a request target (origin-form or absolute-form) into decoded path and query.
void split_target(std::string_view target, std::string& path, QueryParams& query);
std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
bool iequals(std::string_view a, std::string_view b);
std::optional<std::uint64_t> parse_u64(std::string_view s);
std::optional<std::int64_t> parse_i64(std::string_view s);
// Decodes standard or URL-safe base64 (padding optional).
std::optional<std::string> base64_decode(std::string_view s);
std::string base64_encode(std::string_view bytes);
// gzip-compresses data (used when the client sends Accept-Encoding: gzip).
std::string gzip_compress(std::string_view data);
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace gpe
