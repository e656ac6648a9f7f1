// One run at a time per sync target: two runs of the same album (cron
// overlap) would both upload the same new files. A FileLock in the state
// dir that keeps the holder's pid for the message of the run turned away.
#pragma once

#include <filesystem>
#include <string_view>

#include "file_lock.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::engine {

class TargetLock {
  public:
    TargetLock() = default;

    // Fails (without waiting) when another process holds the lock; the message
    // names `what` and the other process.
    static sdk::Result<TargetLock> acquire(const std::filesystem::path& file,
                                           std::string_view what);

  private:
    explicit TargetLock(FileLock lock) : lock_(std::move(lock)) {}
    FileLock lock_;
};

}  // namespace photosync::engine
