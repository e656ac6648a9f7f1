// One run at a time per sync target: two runs of the same album (cron
// overlap) would both upload the same new files. An flock on a file in the
// state dir, released by the kernel even when the process is killed.
#pragma once

#include <filesystem>

#include "photosync/sdk/error.hpp"

namespace photosync::engine {

class TargetLock {
  public:
    TargetLock() = default;
    ~TargetLock();
    TargetLock(TargetLock&& other) noexcept;
    TargetLock& operator=(TargetLock&& other) noexcept;

    // Fails (without waiting) when another process holds the lock; the message
    // names `what` and the other process.
    static sdk::Result<TargetLock> acquire(const std::filesystem::path& file,
                                           std::string_view what);

  private:
    int fd_ = -1;
};

}  // namespace photosync::engine
