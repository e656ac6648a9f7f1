#pragma once
// Incremental SHA-256 over OpenSSL's EVP API (RAII, copyable state).

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace gpe {

class Sha256 {
  public:
    Sha256();
    Sha256(const Sha256& other);
    Sha256& operator=(const Sha256& other);
    Sha256(Sha256&&) noexcept = default;
    Sha256& operator=(Sha256&&) noexcept = default;
    ~Sha256();

    void update(const void* data, std::size_t n);
    void update(std::string_view s) { update(s.data(), s.size()); }
    // Finishes a copy, so the running state stays usable.
    std::array<unsigned char, 32> digest() const;
    std::string hex() const;

  private:
    struct Deleter {
        void operator()(evp_md_ctx_st* p) const;
    };
    std::unique_ptr<evp_md_ctx_st, Deleter> ctx_;
};

std::array<unsigned char, 32> sha256(std::string_view data);
std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace gpe
