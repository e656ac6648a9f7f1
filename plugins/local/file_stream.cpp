#include "file_stream.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>

#include "media_types.hpp"
#include "photosync/sdk/blocking.hpp"
#include "photosync/sdk/posix_error.hpp"

namespace photosync::local {

namespace {
// Whether `fd` is on a memory file system (tmpfs, ramfs): nothing to wait for
// but a copy, though it cannot answer RWF_NOWAIT. Asked only when a file
// system turns RWF_NOWAIT down, not for every file.
bool memory_backed(int fd) {
    struct statfs fs {};
    return ::fstatfs(fd, &fs) == 0 &&
           (fs.f_type == TMPFS_MAGIC || fs.f_type == static_cast<decltype(fs.f_type)>(RAMFS_MAGIC));
}

sdk::Error changed(const std::string& path, std::string_view how) {
    return sdk::Error{sdk::ErrorKind::io,
                      sdk::display_path(path) + " " + std::string(how) +
                          " while photosync was reading it; it will be picked up on the next run",
                      std::nullopt};
}
}  // namespace

sdk::Result<std::unique_ptr<FileStream>> FileStream::open(boost::asio::any_io_executor blocking,
                                                          const std::string& path,
                                                          const sdk::SourceItem& item) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return std::unexpected(sdk::errno_error("open " + sdk::display_path(path), errno));
    }
    std::unique_ptr<FileStream> stream(new FileStream(std::move(blocking), fd, path, item.size));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return std::unexpected(sdk::errno_error("read " + sdk::display_path(path), errno));
    }
    if (static_cast<std::uint64_t>(st.st_size) != item.size) {
        return std::unexpected(changed(path, "changed size"));
    }
    std::array<std::byte, kMagicBytes> head{};
    auto n = ::pread(fd, head.data(), head.size(), 0);
    if (n < 0) {
        return std::unexpected(sdk::errno_error("read " + sdk::display_path(path), errno));
    }
    if (!looks_like_media(item.file_name(), std::span(head.data(), static_cast<std::size_t>(n)))) {
        return std::unexpected(sdk::Error{
            sdk::ErrorKind::invalid_input,
            "not a photo or video: the content of " + sdk::display_path(item.file_name()) +
                " does not match any image or video format (corrupt, or misnamed?)",
            std::nullopt});
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return stream;
}

FileStream::FileStream(boost::asio::any_io_executor blocking, int fd, std::string path,
                       std::uint64_t size)
    : blocking_(std::move(blocking)), fd_(fd), path_(std::move(path)), size_(size) {}

FileStream::~FileStream() {
    ::close(fd_);
}

sdk::Result<std::size_t> FileStream::fill(std::span<std::byte> buffer, int flags) {
    std::size_t got = 0;
    while (got < buffer.size()) {
        iovec part{buffer.data() + got, buffer.size() - got};
        auto n = ::preadv2(fd_, &part, 1, static_cast<off_t>(offset_ + got), flags);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (flags != 0 && (errno == EAGAIN || errno == EOPNOTSUPP)) {
                if (errno == EOPNOTSUPP) {  // this file system cannot say
                    inline_ = memory_backed(fd_) ? InlineReads::always : InlineReads::never;
                }
                break;  // the rest would wait for the disk
            }
            return std::unexpected(sdk::errno_error("read " + sdk::display_path(path_), errno));
        }
        if (n == 0) {
            return std::unexpected(changed(path_, "shrank"));
        }
        got += static_cast<std::size_t>(n);
    }
    offset_ += got;
    if (offset_ == size_ && got > 0) {
        // At the announced end: a file still being written must not be sent half-done.
        // (Readers ask for exactly what is left, so this is checked on every last read.)
        // At the end of a file a read returns 0 without waiting for the disk.
        // One that would wait (more bytes, or a lock held by someone else, as
        // XFS may answer) is settled by the file's size, which never waits.
        std::byte probe;
        iovec one{&probe, 1};
        auto n = ::preadv2(fd_, &one, 1, static_cast<off_t>(size_), flags);
        bool grew = n == 1;
        if (n < 0 && flags != 0 && errno == EAGAIN) {
            struct stat st {};
            grew = ::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) > size_;
        }
        if (grew) {
            return std::unexpected(changed(path_, "grew"));
        }
    }
    return got;
}

sdk::awaitable<sdk::Result<std::size_t>> FileStream::read(std::span<std::byte> buffer) {
    if (offset_ >= size_ || buffer.empty()) {
        co_return std::size_t{0};
    }
    buffer = buffer.first(
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size_ - offset_)));
    // What is in memory is read here: a page-cache hit is a copy, and doing it
    // here saves two thread hops per read (about 6% of the CPU of a run of
    // small photos). RWF_NOWAIT finds what is cached; tmpfs turns RWF_NOWAIT
    // down and is then read plainly. The rest goes to the blocking executor.
    std::size_t got = 0;
    while (got < buffer.size() && inline_ != InlineReads::never) {
        const auto mode = inline_;
        auto n = fill(buffer.subspan(got), mode == InlineReads::always ? 0 : RWF_NOWAIT);
        if (!n) {
            co_return n;
        }
        got += *n;
        if (inline_ == mode) {
            break;  // all read, or the rest would wait for the disk
        }
    }
    if (got < buffer.size()) {
        auto rest = buffer.subspan(got);
        auto n = co_await sdk::run_blocking(blocking_, [this, rest] { return fill(rest, 0); });
        if (!n) {
            co_return n;
        }
        got += *n;
    }
    co_return got;
}

sdk::awaitable<sdk::Result<void>> FileStream::seek(std::uint64_t offset) {
    if (offset > size_) {
        co_return sdk::fail(sdk::ErrorKind::internal,
                            "seek past the end of " + sdk::display_path(path_));
    }
    offset_ = offset;
    co_return sdk::Result<void>{};
}

}  // namespace photosync::local
