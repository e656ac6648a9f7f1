// A Destination takes items in two steps, like Google Photos: stage the bytes
// (get a receipt), then commit staged items in batches into a container.
//
// Threading, lifetimes and cancellation: as for Source (source.hpp).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/byte_stream.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::sdk {

class Destination {
  public:
    virtual ~Destination() = default;

    // How to name this destination in messages, e.g. "folder:/srv/photos".
    [[nodiscard]] virtual std::string describe() const = 0;

    // Static facts the engine plans by (batch size, commit concurrency...).
    [[nodiscard]] virtual DestinationLimits limits() const = 0;

    // Finds the container by request.known_id, else by exact title, else
    // creates it (when create_if_missing). Errors: not_found, permission (exists
    // but not writable), auth, transient/rate_limited.
    virtual awaitable<Result<Container>> resolve_container(const ContainerRequest& request) = 0;

    // Sends an item's bytes (read from content to its end) and returns a receipt
    // for commit(). Staging alone makes nothing visible. Errors: invalid_input
    // (too large, rejected), transient/rate_limited, auth, quota_exhausted, io.
    virtual awaitable<Result<Receipt>> stage(const SourceItem& item, ByteStream& content) = 0;

    // Makes staged items visible in the container, in the given order. Returns
    // exactly one outcome per item, in order: a batch can half-succeed. A
    // whole-call Error means no outcome is known: with unknown_outcome some
    // items may have been committed (a lost reply), so the caller reconciles
    // through list_container() before committing them again.
    // At most limits().max_batch items per call.
    virtual awaitable<Result<std::vector<CommitOutcome>>> commit(
        const Container& container, std::span<const StagedItem> items) = 0;

    // What the container holds, for verification and reconciliation.
    virtual awaitable<Result<std::vector<RemoteItem>>> list_container(
        const Container& container) = 0;
};

}  // namespace photosync::sdk
