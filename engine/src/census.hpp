// A run's look ahead (JobSpec::census): the items it will upload, counted by
// a second listing of the source while the run's own scan waits on its
// upload queue. A big run's scan ends only when its uploads nearly have, so
// this is what lets a cost estimate (the quota planner's line) come near the
// start instead. Read-only: ledger lookups, no hashing, no network.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "path_filter.hpp"
#include "photosync/sdk/source.hpp"
#include "state_store.hpp"

namespace photosync::engine {

struct CensusCount {
    std::atomic<std::uint64_t> files{0}, bytes{0};
    std::atomic<bool> complete{false};  // the whole source was counted
};

// Lists `source` and counts the items the run will upload: those the filter
// accepts and the ledger (when there is one) did not hold as committed and
// unchanged when the run began (`run_started`, unix seconds: items the run
// has committed since still count; so does one a run before committed in
// that same second, the ledger keeping whole seconds: the count errs high). Ends early, leaving
// `complete` false, once `stop()` is true (the run's own scan has ended, or the run is stopping) or
// the listing fails.
sdk::awaitable<void> take_census(sdk::Source& source, const PathFilter& filter, StateStore* store,
                                 std::int64_t target, std::int64_t run_started,
                                 std::function<bool()> stop, CensusCount& count);

}  // namespace photosync::engine
