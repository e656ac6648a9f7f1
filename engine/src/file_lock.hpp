// An exclusive flock on a file, held while the object lives: the kernel
// drops it when the process ends, however it ends. The two locks of the
// state folder are built on it: one run per sync target (target_lock.hpp),
// and taking turns to open the state file (state_store.cpp).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "photosync/sdk/error.hpp"

namespace photosync::engine {

class FileLock {
  public:
    FileLock() = default;
    ~FileLock();
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    // Opens `file`, creating it (0600) if needed, without locking it yet.
    static sdk::Result<FileLock> open(const std::filesystem::path& file);

    // Takes the lock, trying again every 10 ms until `patience` has passed
    // (zero: one try). false: another process holds it still.
    sdk::Result<bool> lock_within(std::chrono::milliseconds patience);

    // A short note kept in the file (the holder's pid), for whoever waits.
    [[nodiscard]] std::string note() const;
    void set_note(std::string_view text);

  private:
    int fd_ = -1;
    std::filesystem::path file_;
};

}  // namespace photosync::engine
