#include "pkce.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace photosync::gphotos {

std::string random_token(std::size_t length) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    constexpr std::size_t n = sizeof(alphabet) - 1;  // 66
    std::string out;
    while (out.size() < length) {
        std::array<unsigned char, 64> bytes{};
        if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
            throw std::runtime_error("no random numbers from OpenSSL");
        }
        for (unsigned char b : bytes) {
            // Rejection sampling keeps every character equally likely.
            if (b < 256 - (256 % n) && out.size() < length) {
                out += alphabet[b % n];
            }
        }
    }
    return out;
}

std::string pkce_challenge(const std::string& verifier) {
    std::array<unsigned char, 32> digest{};
    unsigned int length = 0;
    if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &length, EVP_sha256(),
                   nullptr) != 1 ||
        length != digest.size()) {
        throw std::runtime_error("no SHA-256 from OpenSSL");
    }
    static constexpr char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= digest.size(); i += 3) {
        std::uint32_t v = (digest[i] << 16) | (digest[i + 1] << 8) | digest[i + 2];
        out += b64[(v >> 18) & 63];
        out += b64[(v >> 12) & 63];
        out += b64[(v >> 6) & 63];
        out += b64[v & 63];
    }
    // 32 bytes: two left over -> three characters, no padding.
    if (digest.size() - i == 2) {
        std::uint32_t v = (digest[i] << 16) | (digest[i + 1] << 8);
        out += b64[(v >> 18) & 63];
        out += b64[(v >> 12) & 63];
        out += b64[(v >> 6) & 63];
    } else if (digest.size() - i == 1) {
        std::uint32_t v = digest[i] << 16;
        out += b64[(v >> 18) & 63];
        out += b64[(v >> 12) & 63];
    }
    return out;
}

}  // namespace photosync::gphotos
