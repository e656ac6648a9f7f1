#include "http_util.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace gpe {

std::string_view Request::header(http::field f) const {
    auto it = headers->find(f);
    return it == headers->end() ? std::string_view{} : std::string_view(it->value());
}

std::string_view Request::header(std::string_view name) const {
    auto it = headers->find(name);
    return it == headers->end() ? std::string_view{} : std::string_view(it->value());
}

std::string_view Request::param(std::string_view name) const {
    for (const auto& [k, v] : query)
        if (k == name)
            return v;
    return {};
}

bool Request::has_param(std::string_view name) const {
    return std::any_of(query.begin(), query.end(),
                       [&](const auto& kv) { return kv.first == name; });
}

std::vector<std::string> Request::params(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : query)
        if (k == name)
            out.push_back(v);
    return out;
}

Response Response::json(http::status s, std::string body) {
    Response r;
    r.status = s;
    r.body = std::move(body);
    r.content_type = "application/json; charset=UTF-8";
    return r;
}

Response Response::text(http::status s, std::string body) {
    Response r;
    r.status = s;
    r.body = std::move(body);
    r.content_type = "text/plain; charset=UTF-8";
    return r;
}

Response Response::html(http::status s, std::string body) {
    Response r;
    r.status = s;
    r.body = std::move(body);
    r.content_type = "text/html; charset=UTF-8";
    return r;
}

Response Response::redirect(std::string location) {
    Response r;
    r.status = http::status::found;
    r.headers.set(http::field::location, location);
    r.content_type = "text/html; charset=UTF-8";
    r.body =
        "<HTML><HEAD><TITLE>Moved Temporarily</TITLE></HEAD><BODY>Moved Temporarily</BODY></HTML>";
    return r;
}

namespace {
int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%' && i + 2 < s.size()) {
            const int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h >= 0 && l >= 0) {
                out.push_back(static_cast<char>(h * 16 + l));
                i += 2;
                continue;
            }
        }
        out.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

QueryParams parse_query(std::string_view q) {
    QueryParams out;
    while (!q.empty()) {
        const auto amp = q.find('&');
        const std::string_view part = q.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            if (eq == std::string_view::npos)
                out.emplace_back(percent_decode(part, true), std::string{});
            else
                out.emplace_back(percent_decode(part.substr(0, eq), true),
                                 percent_decode(part.substr(eq + 1), true));
        }
        if (amp == std::string_view::npos)
            break;
        q.remove_prefix(amp + 1);
    }
    return out;
}

void split_target(std::string_view target, std::string& path, QueryParams& query) {
    // absolute-form: strip scheme://authority
    if (const auto p = target.find("://"); p != std::string_view::npos && target.front() != '/') {
        const auto slash = target.find('/', p + 3);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    if (const auto hash = target.find('#'); hash != std::string_view::npos)
        target = target.substr(0, hash);
    const auto qm = target.find('?');
    path = percent_decode(target.substr(0, qm), false);
    query.clear();
    if (qm != std::string_view::npos)
        query = parse_query(target.substr(qm + 1));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    while (true) {
        const auto p = s.find(sep);
        out.emplace_back(trim(s.substr(0, p)));
        if (p == std::string_view::npos)
            break;
        s.remove_prefix(p + 1);
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
    s = trim(s);
    std::uint64_t v = 0;
    if (s.empty())
        return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::optional<std::int64_t> parse_i64(std::string_view s) {
    s = trim(s);
    std::int64_t v = 0;
    if (s.empty())
        return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::optional<std::string> base64_decode(std::string_view s) {
    std::string out;
    unsigned buf = 0;
    int bits = 0;
    for (char c : s) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=')
            break;
        else
            return std::nullopt;
        buf = (buf << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buf >> bits) & 0xff));
        }
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    static constexpr char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    auto u = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (u(i) << 16) | (u(i + 1) << 8) | u(i + 2);
        out += {a[(v >> 18) & 63], a[(v >> 12) & 63], a[(v >> 6) & 63], a[v & 63]};
    }
    if (bytes.size() - i == 1) {
        const unsigned v = u(i) << 16;
        out += {a[(v >> 18) & 63], a[(v >> 12) & 63], '=', '='};
    } else if (bytes.size() - i == 2) {
        const unsigned v = (u(i) << 16) | (u(i + 1) << 8);
        out += {a[(v >> 18) & 63], a[(v >> 12) & 63], a[(v >> 6) & 63], '='};
    }
    return out;
}

std::string gzip_compress(std::string_view data) {
    z_stream zs{};
    // windowBits 15 + 16 selects the gzip wrapper.
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate failed");
    return out;
}

bool accepts_gzip(std::string_view ae) {
    for (const auto& part : split(ae, ',')) {
        const auto semi = part.find(';');
        const std::string_view coding = trim(std::string_view(part).substr(0, semi));
        if (iequals(coding, "gzip")) {
            if (semi != std::string::npos) {
                const std::string_view q = trim(std::string_view(part).substr(semi + 1));
                if (q == "q=0" || q == "q=0.0" || q == "q=0.000")
                    return false;
            }
            return true;
        }
    }
    return false;
}

}  // namespace gpe
