// Wraps an item's ByteStream on its way to the destination: counts bytes for
// progress and computes the content's SHA-256 in the same pass (the ledger
// needs the hash; reading the file twice would double the I/O).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "photosync/sdk/byte_stream.hpp"

namespace photosync::engine {

class Sha256 {
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::span<const std::byte> data);
    [[nodiscard]] std::string hex_digest();  // finishes the hash

  private:
    struct Ctx;
    std::unique_ptr<Ctx> ctx_;
};

class MeteredStream final : public sdk::ByteStream {
  public:
    // `total` is added to as bytes flow (job-wide progress); bytes counted
    // by this stream can be taken back with uncount() if the attempt fails.
    MeteredStream(std::unique_ptr<sdk::ByteStream> inner, std::atomic<std::uint64_t>& total);

    sdk::awaitable<sdk::Result<std::size_t>> read(std::span<std::byte> buffer) override;
    [[nodiscard]] std::uint64_t size() const noexcept override { return inner_->size(); }
    sdk::awaitable<sdk::Result<void>> seek(std::uint64_t offset) override;

    // The SHA-256 of the whole content, once it has all been read.
    [[nodiscard]] std::optional<std::string> sha256();
    // Removes this stream's bytes from the job-wide total.
    void uncount() noexcept;

  private:
    std::unique_ptr<sdk::ByteStream> inner_;
    std::atomic<std::uint64_t>& total_;
    std::uint64_t position_ = 0;
    std::uint64_t hashed_ = 0;   // bytes [0, hashed_) are in the hash
    std::uint64_t counted_ = 0;  // bytes added to total_
    Sha256 hash_;
    std::optional<std::string> digest_;
};

}  // namespace photosync::engine
