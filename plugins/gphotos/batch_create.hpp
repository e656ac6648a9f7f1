// Step 2: mediaItems.batchCreate, making staged uploads visible in an album.
// At most 50 items per call, in the given order, each with its file name.
// Every per-item status is read (a missing `code` is success): an HTTP 200 is
// never taken to mean that all items were added. A reply lost after the
// request went out is unknown_outcome: batchCreate is not idempotent, so the
// engine reconciles against the album instead of sending it again.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "api_client.hpp"
#include "photosync/sdk/types.hpp"
#include "settings.hpp"

namespace photosync::gphotos {

inline constexpr std::size_t kMaxBatch = 50;

// A whole-call 400 for a bad upload token is one item's fault: the batch is
// split in halves (serially) until that item fails alone and the rest go in.
// Errors (whole call, nothing known to be created): unknown_outcome (lost
// reply, unreadable 200), transient/rate_limited (5xx/429: nothing created),
// quota_exhausted, auth, invalid_input (request refused), cancelled.
sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> batch_create(
    ApiClient& api, const Settings& settings, std::string album_id,
    std::span<const sdk::StagedItem> items);

// The per-item result of a batchCreate reply, for items in request order.
// Errors: unknown_outcome when the reply cannot be matched to the items.
[[nodiscard]] sdk::Result<std::vector<sdk::CommitOutcome>> read_batch_results(
    const std::string& body, std::span<const sdk::StagedItem> items);

// A google.rpc.Status code of one item as an error kind (0 is success).
[[nodiscard]] sdk::ErrorKind kind_of_item_status(int code) noexcept;

// fileName for Google Photos: the base name, at most 255 characters, extension kept.
[[nodiscard]] std::string media_file_name(const sdk::SourceItem& item);

}  // namespace photosync::gphotos
