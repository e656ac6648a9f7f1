// The ledger's lookups run once per scanned item. Each names its index:
// without table statistics SQLite (3.40) plans the lookups by size and by hash
// as a walk over every item of the album (the primary key's target_id
// prefix), which made a run quadratic in the album's size (a 10,000-file run
// spent a quarter of its CPU there). tests/engine/test_state_store.cpp checks
// each plan.
#pragma once

#define PHOTOSYNC_ITEM_COLUMNS \
    "path, size, mtime_ns, sha256, state, receipt, staged_at, remote_id, error, updated_at"

namespace photosync::engine::ledger_sql {

inline constexpr const char* kFindByPath =
    "SELECT " PHOTOSYNC_ITEM_COLUMNS " FROM items WHERE target_id=? AND path=?";

inline constexpr const char* kFindCommittedByHash =
    "SELECT " PHOTOSYNC_ITEM_COLUMNS
    " FROM items INDEXED BY items_by_hash WHERE target_id=? AND sha256=? AND state=3 LIMIT 1";

inline constexpr const char* kHasCommittedSize =
    "SELECT 1 FROM items INDEXED BY items_by_size WHERE target_id=? AND size=? AND state=3 "
    "LIMIT 1";

}  // namespace photosync::engine::ledger_sql
