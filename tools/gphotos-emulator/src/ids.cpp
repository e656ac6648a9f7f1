#include "ids.hpp"

#include "sha256.hpp"

namespace gpe {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}

IdGenerator::IdGenerator() {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd()};
    rng_.seed(seq);
}

std::uint64_t IdGenerator::next_u64() {
    std::lock_guard lock(mu_);
    return rng_();
}

std::string IdGenerator::random_chars(std::size_t n) {
    std::string out(n, 'A');
    std::lock_guard lock(mu_);
    std::uint64_t bits = 0;
    int avail = 0;
    for (auto& c : out) {
        if (avail < 6) {
            bits = rng_();
            avail = 64;
        }
        c = kAlphabet[bits & 63];
        bits >>= 6;
        avail -= 6;
    }
    return out;
}

std::string IdGenerator::user_prefix(std::string_view user) {
    // "AL" + 10 chars, like the "ALvc__nJoKD2" prefixes seen on real accounts.
    const auto d = sha256(user);
    std::string p = "AL";
    for (int i = 0; i < 10; ++i)
        p.push_back(kAlphabet[d[static_cast<std::size_t>(i)] & 63]);
    return p;
}

bool is_base64url_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

bool looks_like_upload_token(std::string_view s) {
    if (s.size() != 156 || !s.starts_with("CAIS"))
        return false;
    for (char c : s)
        if (!is_base64url_char(c))
            return false;
    return true;
}

std::string base64url_encode(std::string_view bytes, bool pad) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto u = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (u(i) << 16) | (u(i + 1) << 8) | u(i + 2);
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(kAlphabet[(v >> 6) & 63]);
        out.push_back(kAlphabet[v & 63]);
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const unsigned v = u(i) << 16;
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        if (pad)
            out += "==";
    } else if (rest == 2) {
        const unsigned v = (u(i) << 16) | (u(i + 1) << 8);
        out.push_back(kAlphabet[(v >> 18) & 63]);
        out.push_back(kAlphabet[(v >> 12) & 63]);
        out.push_back(kAlphabet[(v >> 6) & 63]);
        if (pad)
            out += "=";
    }
    return out;
}

}  // namespace gpe
