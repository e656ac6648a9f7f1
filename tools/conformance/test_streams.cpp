#include "test_streams.hpp"

#include <boost/asio/this_coro.hpp>
#include <fstream>
#include <string_view>

namespace photosync::conformance {

namespace {
constexpr std::string_view kJpegHeader{"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00", 14};
}

SyntheticStream::SyntheticStream(std::uint64_t size, std::uint64_t seed,
                                 std::optional<std::uint64_t> fail_after,
                                 std::chrono::milliseconds delay)
    : size_(size), seed_(seed), fail_after_(fail_after), delay_(delay) {}

std::byte SyntheticStream::at(std::uint64_t offset) const noexcept {
    if (offset < kJpegHeader.size()) {
        return static_cast<std::byte>(kJpegHeader[offset]);
    }
    // splitmix64 of (seed, offset / 8): cheap, and different for every item.
    std::uint64_t z = seed_ * 0x9E3779B97F4A7C15ULL + (offset / 8) + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<std::byte>(z >> ((offset % 8) * 8));
}

sdk::awaitable<sdk::Result<std::size_t>> SyntheticStream::read(std::span<std::byte> buffer) {
    if (delay_.count() > 0) {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
        timer.expires_after(delay_);
        auto [ec] = co_await timer.async_wait(sdk::use_tuple);
        if (ec) {
            co_return sdk::fail(sdk::ErrorKind::cancelled, "cancelled");
        }
    }
    if (fail_after_ && offset_ >= *fail_after_) {
        co_return sdk::fail(sdk::ErrorKind::io, "synthetic read error (conformance test)");
    }
    std::uint64_t end = std::min<std::uint64_t>(size_, offset_ + buffer.size());
    if (fail_after_) {
        end = std::min(end, *fail_after_);
    }
    std::size_t n = static_cast<std::size_t>(end - offset_);
    for (std::size_t i = 0; i < n; ++i) {
        buffer[i] = at(offset_ + i);
    }
    offset_ = end;
    co_return n;
}

sdk::awaitable<sdk::Result<void>> SyntheticStream::seek(std::uint64_t offset) {
    offset_ = offset;
    co_return sdk::Result<void>{};
}

sdk::SourceItem synthetic_item(const std::string& name, std::uint64_t size) {
    sdk::SourceItem item;
    item.path = name;
    item.size = size;
    item.mtime = std::chrono::system_clock::now();
    item.kind = sdk::MediaKind::photo;
    item.mime_type = "image/jpeg";
    return item;
}

std::uint64_t resident_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) {
            return std::stoull(line.substr(6)) * 1024;
        }
    }
    return 0;
}

}  // namespace photosync::conformance
