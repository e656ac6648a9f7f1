// A file's content as an sdk::ByteStream: positional reads, with checks that
// the file is still the one that was listed. What is in memory is read on the
// caller's thread; what would wait for the disk, on the blocking executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "photosync/sdk/byte_stream.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::local {

class FileStream final : public sdk::ByteStream {
  public:
    // Opens `path` (blocking: call it on the blocking executor). Fails when the
    // file is unreadable, changed size or mtime since `item` was listed, or is
    // not a photo or video by its first bytes.
    static sdk::Result<std::unique_ptr<FileStream>> open(boost::asio::any_io_executor blocking,
                                                         const std::string& path,
                                                         const sdk::SourceItem& item);
    ~FileStream() override;

    sdk::awaitable<sdk::Result<std::size_t>> read(std::span<std::byte> buffer) override;
    [[nodiscard]] std::uint64_t size() const noexcept override { return size_; }
    sdk::awaitable<sdk::Result<void>> seek(std::uint64_t offset) override;

  private:
    // Which reads may skip the blocking executor: found out on the first
    // read (cached_only until a file system turns RWF_NOWAIT down).
    enum class InlineReads { always, cached_only, never };

    FileStream(boost::asio::any_io_executor blocking, int fd, std::string path, std::uint64_t size);
    // Reads into `buffer` from the current offset and moves it on. With
    // RWF_NOWAIT in `flags`, stops early where the disk would be needed.
    sdk::Result<std::size_t> fill(std::span<std::byte> buffer, int flags);

    boost::asio::any_io_executor blocking_;
    int fd_;
    std::string path_;
    std::uint64_t size_;
    std::uint64_t offset_ = 0;
    InlineReads inline_ = InlineReads::cached_only;
};

}  // namespace photosync::local
