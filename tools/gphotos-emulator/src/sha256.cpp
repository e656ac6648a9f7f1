#include "sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace gpe {

void Sha256::Deleter::operator()(evp_md_ctx_st* p) const {
    EVP_MD_CTX_free(p);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("EVP sha256 init failed");
}

Sha256::Sha256(const Sha256& other) : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_MD_CTX_copy_ex(ctx_.get(), other.ctx_.get()) != 1)
        throw std::runtime_error("EVP copy failed");
}

Sha256& Sha256::operator=(const Sha256& other) {
    if (this != &other) {
        Sha256 tmp(other);
        *this = std::move(tmp);
    }
    return *this;
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t n) {
    if (n > 0)
        EVP_DigestUpdate(ctx_.get(), data, n);
}

std::array<unsigned char, 32> Sha256::digest() const {
    Sha256 copy(*this);
    std::array<unsigned char, 32> out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(copy.ctx_.get(), out.data(), &len);
    return out;
}

std::string Sha256::hex() const {
    return to_hex(digest());
}

std::array<unsigned char, 32> sha256(std::string_view data) {
    Sha256 h;
    h.update(data);
    return h.digest();
}

std::string to_hex(std::span<const unsigned char> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

}  // namespace gpe
