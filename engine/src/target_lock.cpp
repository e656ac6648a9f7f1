#include "target_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "photosync/sdk/posix_error.hpp"

namespace photosync::engine {

TargetLock::~TargetLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the flock
    }
}

TargetLock::TargetLock(TargetLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

TargetLock& TargetLock::operator=(TargetLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

sdk::Result<TargetLock> TargetLock::acquire(const std::filesystem::path& file,
                                            std::string_view what) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    TargetLock lock;
    lock.fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.fd_ < 0) {
        return std::unexpected(sdk::errno_error("create lock file " + file.string(), errno));
    }
    if (::flock(lock.fd_, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        if (err != EWOULDBLOCK) {
            return std::unexpected(sdk::errno_error("lock " + file.string(), err));
        }
        char buf[32] = {};
        auto n = ::pread(lock.fd_, buf, sizeof buf - 1, 0);
        std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
        while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
            pid.pop_back();
        return sdk::fail(sdk::ErrorKind::conflict, "another photosync run (pid " + pid +
                                                       ") is syncing " + std::string(what) +
                                                       "; wait for it to finish, then run again");
    }
    auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(lock.fd_, 0) == 0) {
        (void)::pwrite(lock.fd_, pid.data(), pid.size(), 0);
    }
    return lock;
}

}  // namespace photosync::engine
