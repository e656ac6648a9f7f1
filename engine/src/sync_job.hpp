// Internal: starting a SyncJob once its plugin instances exist.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "photosync/engine/engine.hpp"
#include "retry_policy.hpp"

namespace photosync::engine {

struct JobParts {
    std::shared_ptr<sdk::Source> source;
    std::shared_ptr<sdk::Destination> destination;
    std::shared_ptr<sdk::LogSink> log;
    RetryPolicy retry;
};

std::shared_ptr<SyncJob> launch_sync_job(std::uint64_t id, JobSpec spec, JobParts parts,
                                         const boost::asio::any_io_executor& executor,
                                         std::shared_ptr<JobObserver> observer);

}  // namespace photosync::engine
