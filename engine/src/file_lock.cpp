#include "file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <thread>
#include <utility>

#include "photosync/sdk/posix_error.hpp"

namespace photosync::engine {

FileLock::~FileLock() {
    if (fd_ >= 0) {
        ::close(fd_);  // releases the flock
    }
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), file_(std::move(other.file_)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        file_ = std::move(other.file_);
    }
    return *this;
}

sdk::Result<FileLock> FileLock::open(const std::filesystem::path& file) {
    FileLock lock;
    lock.file_ = file;
    lock.fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.fd_ < 0) {
        return std::unexpected(sdk::errno_error("create lock file " + file.string(), errno));
    }
    return lock;
}

sdk::Result<bool> FileLock::lock_within(std::chrono::milliseconds patience) {
    const auto until = std::chrono::steady_clock::now() + patience;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            return std::unexpected(sdk::errno_error("lock " + file_.string(), errno));
        }
        if (std::chrono::steady_clock::now() >= until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::string FileLock::note() const {
    char buf[64] = {};
    auto n = ::pread(fd_, buf, sizeof buf - 1, 0);
    std::string text = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

void FileLock::set_note(std::string_view text) {
    std::string line(text);
    line += '\n';
    if (::ftruncate(fd_, 0) == 0) {
        (void)::pwrite(fd_, line.data(), line.size(), 0);
    }
}

}  // namespace photosync::engine
