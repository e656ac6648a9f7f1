#include "content_hash.hpp"

#include <algorithm>
#include <vector>

#include "metered_stream.hpp"

namespace photosync::engine {

sdk::awaitable<sdk::Result<std::string>> hash_content(sdk::Source& source,
                                                      const sdk::SourceItem& item,
                                                      std::uint64_t limit) {
    auto content = co_await source.open(item);
    if (!content) {
        co_return std::unexpected(std::move(content.error()));
    }
    constexpr std::uint64_t kChunk = 256 * 1024;
    std::vector<std::byte> buffer(
        static_cast<std::size_t>(std::min({kChunk, limit, std::max<std::uint64_t>(item.size, 1)})));
    Sha256 sha;
    std::uint64_t left = limit;
    while (left > 0) {
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
        auto n = co_await (*content)->read(std::span(buffer.data(), want));
        if (!n) {
            co_return std::unexpected(std::move(n.error()));
        }
        if (*n == 0) {
            break;
        }
        sha.update(std::span(buffer.data(), *n));
        left -= *n;
    }
    co_return sha.hex_digest();
}

}  // namespace photosync::engine
