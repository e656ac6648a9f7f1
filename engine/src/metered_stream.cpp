#include "metered_stream.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace photosync::engine {

struct Sha256::Ctx {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
    if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("cannot initialise SHA-256 (OpenSSL)");
    }
}

Sha256::~Sha256() = default;

void Sha256::update(std::span<const std::byte> data) {
    EVP_DigestUpdate(ctx_->md, data.data(), data.size());
}

std::string Sha256::hex_digest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_->md, md, &len);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 0xF];
    }
    return out;
}

MeteredStream::MeteredStream(std::unique_ptr<sdk::ByteStream> inner,
                             std::atomic<std::uint64_t>& total)
    : inner_(std::move(inner)), total_(total) {}

sdk::awaitable<sdk::Result<std::size_t>> MeteredStream::read(std::span<std::byte> buffer) {
    auto n = co_await inner_->read(buffer);
    if (!n) {
        co_return n;
    }
    std::uint64_t start = position_;
    std::uint64_t end = position_ + *n;
    // After a seek backwards (resumed upload), bytes below hashed_ were hashed
    // already: only the new tail goes into the hash and the progress count.
    if (end > hashed_) {
        std::uint64_t skip = hashed_ > start ? hashed_ - start : 0;
        auto fresh = std::span<const std::byte>(buffer.data() + skip, *n - skip);
        hash_.update(fresh);
        hashed_ = end;
        total_.fetch_add(fresh.size(), std::memory_order_relaxed);
        counted_ += fresh.size();
    }
    position_ = end;
    co_return n;
}

sdk::awaitable<sdk::Result<void>> MeteredStream::seek(std::uint64_t offset) {
    if (offset > hashed_) {
        // Skipping forward would leave a hole in the hash.
        co_return sdk::fail(sdk::ErrorKind::internal, "cannot seek past the bytes already read");
    }
    auto r = co_await inner_->seek(offset);
    if (r) {
        position_ = offset;
    }
    co_return r;
}

std::optional<std::string> MeteredStream::sha256() {
    if (!digest_ && hashed_ == inner_->size()) {
        digest_ = hash_.hex_digest();
    }
    return digest_;
}

void MeteredStream::uncount() noexcept {
    total_.fetch_sub(counted_, std::memory_order_relaxed);
    counted_ = 0;
}

}  // namespace photosync::engine
