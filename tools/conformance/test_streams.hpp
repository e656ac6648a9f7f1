// Synthetic content for destination tests: generated on the fly, so any size
// costs no memory and no disk.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "photosync/sdk/byte_stream.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::conformance {

// Deterministic bytes that start like a JPEG. Optionally fails with an io
// error after `fail_after` bytes, or waits `delay` before each chunk.
class SyntheticStream final : public sdk::ByteStream {
  public:
    SyntheticStream(std::uint64_t size, std::uint64_t seed,
                    std::optional<std::uint64_t> fail_after = std::nullopt,
                    std::chrono::milliseconds delay = std::chrono::milliseconds(0));
    sdk::awaitable<sdk::Result<std::size_t>> read(std::span<std::byte> buffer) override;
    [[nodiscard]] std::uint64_t size() const noexcept override { return size_; }
    sdk::awaitable<sdk::Result<void>> seek(std::uint64_t offset) override;

    // The byte at `offset`, for checking what a destination stored.
    [[nodiscard]] std::byte at(std::uint64_t offset) const noexcept;

  private:
    std::uint64_t size_, seed_, offset_ = 0;
    std::optional<std::uint64_t> fail_after_;
    std::chrono::milliseconds delay_;
};

// An item description matching a SyntheticStream.
sdk::SourceItem synthetic_item(const std::string& name, std::uint64_t size);

// The process's resident memory now, in bytes (from /proc/self/status).
std::uint64_t resident_bytes();

}  // namespace photosync::conformance
