// The reconciliation rule, for commits whose outcome was never learnt (the
// process died during the call, or its reply was lost): an item recorded as
// `committing` counts as added when the album holds an item of its file name
// (and size, where the destination reports sizes) that the ledger does not
// already account for. Each album item vouches for one ledger item at most,
// so two files of one name in one batch are never both taken as added on the
// strength of one copy.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "photosync/sdk/types.hpp"
#include "state_store.hpp"

namespace photosync::engine {

struct ReconcileDecision {
    std::string path;                      // the ledger item
    std::optional<std::string> remote_id;  // the album item that is it; none: it was not added
};

// One decision per entry, in order. `claimed` holds the remote ids the ledger
// already gives to committed items.
[[nodiscard]] std::vector<ReconcileDecision> reconcile_commits(
    std::span<const LedgerEntry> entries, std::span<const sdk::RemoteItem> album,
    std::unordered_set<std::string> claimed);

}  // namespace photosync::engine
