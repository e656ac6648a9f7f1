#include "target_lock.hpp"

#include <unistd.h>

#include <string>

namespace photosync::engine {

sdk::Result<TargetLock> TargetLock::acquire(const std::filesystem::path& file,
                                            std::string_view what) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    auto lock = FileLock::open(file);
    if (!lock) {
        return std::unexpected(std::move(lock.error()));
    }
    auto locked = lock->lock_within(std::chrono::milliseconds(0));
    if (!locked) {
        return std::unexpected(std::move(locked.error()));
    }
    if (!*locked) {
        auto pid = lock->note();
        return sdk::fail(sdk::ErrorKind::conflict, "another photosync run (pid " +
                                                       (pid.empty() ? "?" : pid) + ") is syncing " +
                                                       std::string(what) +
                                                       "; wait for it to finish, then run again");
    }
    lock->set_note(std::to_string(::getpid()));
    return TargetLock(std::move(*lock));
}

}  // namespace photosync::engine
