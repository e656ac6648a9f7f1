// URLs as the plugin needs them: the endpoints it is configured with, the
// session URLs the upload service hands out, and the percent-encoding of
// query strings and form bodies (OAuth).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

struct Url {
    bool tls = true;     // https (else http)
    std::string host;    // without brackets for IPv6 literals
    std::string port;    // always set ("443", "80" or explicit)
    std::string target;  // path and query, at least "/"

    // "https://host:port": connections are pooled per origin.
    [[nodiscard]] std::string origin() const;
    // The Host header: the port only when it is not the scheme's default.
    [[nodiscard]] std::string host_header() const;
    [[nodiscard]] bool host_is_ip_literal() const;
};

// Parses an absolute http:// or https:// URL. Errors: invalid_input.
[[nodiscard]] sdk::Result<Url> parse_url(std::string_view text);

// `base` without a trailing '/', then `path` (which starts with '/').
[[nodiscard]] std::string join_url(std::string_view base, std::string_view path);

// RFC 3986 percent-encoding: everything but unreserved characters.
[[nodiscard]] std::string percent_encode(std::string_view text);
[[nodiscard]] std::string percent_decode(std::string_view text);

using Params = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=2" with both sides percent-encoded (also an
// application/x-www-form-urlencoded body).
[[nodiscard]] std::string encode_params(const Params& params);

// The decoded value of `name` in the query part of `target`, if present.
[[nodiscard]] std::optional<std::string> query_param(std::string_view target,
                                                     std::string_view name);

// `url` with `params` appended to its query string.
[[nodiscard]] std::string with_query(std::string_view url, const Params& params);

}  // namespace photosync::gphotos
