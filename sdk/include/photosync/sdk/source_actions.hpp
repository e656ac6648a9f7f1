// Optional: what a source can do with an item once it is safely at the
// destination (`photosync sync --move-to DIR`, `--delete-after-upload`).
//
// Not a part of Source, so that plugins built before it (ABI 1) load and run
// unchanged: a source offers these by also deriving from SourceItemActions,
// and the engine asks for them with dynamic_cast<SourceItemActions*>(source).
// A source without them cannot be synced with --move-to or
// --delete-after-upload (the job says so in one line, before any upload).
//
// The engine alone decides when: an item is moved only once its commit is
// recorded in the ledger, and removed only once the destination's listing
// shows it too. The source only carries the file operation out, and must
// never lose an item: a crash at any moment leaves it either where it was or
// at its new place (a copy may be left at both; the next run sorts it out).
//
// Threading, lifetimes and cancellation: as for Source (source.hpp).
#pragma once

#include <string>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::sdk {

class SourceItemActions {
  public:
    // Defined in the sdk library: one typeinfo for host and plugins.
    virtual ~SourceItemActions();

    // Checks once, when the job starts and before anything is uploaded, that
    // items can be moved under `to` (a location of this source's kind, e.g. a
    // folder), creating it if needed. Synchronous and called off the
    // engine's threads: it may block briefly. Errors: invalid_input (e.g.
    // `to` lies inside the source, where moved items would be found again),
    // permission, io.
    virtual Result<void> prepare_move(const std::string& to) = 0;

    // Moves the item to the same relative path under `to`. Refuses, and
    // leaves the item where it is, when the item changed since it was listed
    // (size, mtime) or when something already has that name under `to`
    // (conflict: never overwrites). Errors: conflict, not_found, permission, io.
    virtual awaitable<Result<void>> move_item(const SourceItem& item, const std::string& to) = 0;

    // Removes the item from the source. Refuses when it changed since it was
    // listed. Errors: conflict, not_found, permission, io.
    virtual awaitable<Result<void>> remove_item(const SourceItem& item) = 0;
};

}  // namespace photosync::sdk
