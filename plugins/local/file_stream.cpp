#include "file_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>

#include "media_types.hpp"
#include "photosync/sdk/blocking.hpp"
#include "photosync/sdk/posix_error.hpp"

namespace photosync::local {

namespace {
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

sdk::Result<std::size_t> FileStream::read_blocking(std::span<std::byte> buffer) {
    std::uint64_t want = std::min<std::uint64_t>(buffer.size(), size_ - offset_);
    std::size_t got = 0;
    while (got < want) {
        auto n = ::pread(fd_, buffer.data() + got, want - got, static_cast<off_t>(offset_ + got));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
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
        std::byte probe;
        if (::pread(fd_, &probe, 1, static_cast<off_t>(size_)) == 1) {
            return std::unexpected(changed(path_, "grew"));
        }
    }
    return got;
}

sdk::awaitable<sdk::Result<std::size_t>> FileStream::read(std::span<std::byte> buffer) {
    if (offset_ >= size_ || buffer.empty()) {
        co_return std::size_t{0};
    }
    co_return co_await sdk::run_blocking(blocking_,
                                         [this, buffer] { return read_blocking(buffer); });
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
