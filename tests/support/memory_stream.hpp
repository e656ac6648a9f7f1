// A ByteStream over bytes in memory, for feeding destinations in tests.
#pragma once

#include <cstring>
#include <string>

#include "photosync/sdk/byte_stream.hpp"

namespace photosync::test {

class MemoryStream final : public sdk::ByteStream {
  public:
    explicit MemoryStream(std::string data) : data_(std::move(data)) {}
    sdk::awaitable<sdk::Result<std::size_t>> read(std::span<std::byte> buffer) override {
        std::size_t n = std::min(buffer.size(), data_.size() - offset_);
        std::memcpy(buffer.data(), data_.data() + offset_, n);
        offset_ += n;
        co_return n;
    }
    std::uint64_t size() const noexcept override { return data_.size(); }
    sdk::awaitable<sdk::Result<void>> seek(std::uint64_t offset) override {
        offset_ = offset;
        co_return sdk::Result<void>{};
    }

  private:
    std::string data_;
    std::size_t offset_ = 0;
};

}  // namespace photosync::test
