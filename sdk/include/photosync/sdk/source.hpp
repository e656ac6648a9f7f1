// A Source offers items (photos, videos) and their content.
//
// Threading: all calls are made from one strand of the engine's executor;
// a source may use its PluginContext's blocking executor for blocking system
// calls. Arguments passed by reference stay alive until the awaitable
// completes. Cancellation: awaitables honour the per-operation cancellation
// slot and return ErrorKind::cancelled.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/byte_stream.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::sdk {

// An entry the source could not turn into an item (unreadable file or
// folder). The listing goes on after it.
struct ScanProblem {
    std::string path;  // relative, raw bytes
    Error error;
};

using ScanEntry = std::variant<SourceItem, ScanProblem>;

// Streams a source's items one at a time, so work can start before the
// listing ends and memory stays flat for huge libraries.
class ItemLister {
  public:
    virtual ~ItemLister() = default;
    // The next entry, std::nullopt at the end. An Error ends the listing as a
    // whole (the root vanished, say); per-entry failures are ScanProblems.
    virtual awaitable<Result<std::optional<ScanEntry>>> next() = 0;
};

class Source {
  public:
    virtual ~Source() = default;

    // How to name this source in messages, e.g. "local:/home/ana/Trip".
    [[nodiscard]] virtual std::string describe() const = 0;

    // Starts a listing. Errors: not_found (root missing), permission, io.
    virtual awaitable<Result<std::unique_ptr<ItemLister>>> list() = 0;

    // Opens an item's content. Errors: not_found (deleted since listing),
    // permission, io, invalid_input (content is not what the item claims).
    virtual awaitable<Result<std::unique_ptr<ByteStream>>> open(const SourceItem& item) = 0;
};

}  // namespace photosync::sdk
