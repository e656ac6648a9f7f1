// Internal: starting a SyncJob once its plugin instances exist.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "bandwidth_limiter.hpp"
#include "photosync/engine/engine.hpp"
#include "retry_policy.hpp"
#include "state_store.hpp"
#include "target_lock.hpp"

namespace photosync::engine {

struct JobParts {
    std::shared_ptr<sdk::Source> source;
    std::shared_ptr<sdk::Destination> destination;
    std::shared_ptr<sdk::LogSink> log;
    RetryPolicy retry;
    // The ledger; absent in a dry run that has no state file yet.
    std::optional<StateStore> store;
    std::int64_t target = 0;  // 0: the target is not in the ledger (dry run)
    std::int64_t run = 0;
    TargetLock lock;
    BandwidthLimiters bandwidth;  // every upload's bytes go through these
};

std::shared_ptr<SyncJob> launch_sync_job(std::uint64_t id, JobSpec spec, JobParts parts,
                                         const boost::asio::any_io_executor& executor,
                                         std::shared_ptr<JobObserver> observer);

}  // namespace photosync::engine
