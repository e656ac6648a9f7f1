// SHA-256 of an item's content, read through its source: the content dedupe
// compares whole files by it, and same-size files by their first bytes.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/source.hpp"

namespace photosync::engine {

// Hex SHA-256 of the first `limit` bytes of the item (all of them by default).
// `source` and `item` must outlive the call.
sdk::awaitable<sdk::Result<std::string>> hash_content(
    sdk::Source& source, const sdk::SourceItem& item,
    std::uint64_t limit = std::numeric_limits<std::uint64_t>::max());

}  // namespace photosync::engine
