// A file's content as an sdk::ByteStream: positional reads on the blocking
// executor, with checks that the file is still the one that was listed.
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
    FileStream(boost::asio::any_io_executor blocking, int fd, std::string path, std::uint64_t size);
    sdk::Result<std::size_t> read_blocking(std::span<std::byte> buffer);

    boost::asio::any_io_executor blocking_;
    int fd_;
    std::string path_;
    std::uint64_t size_;
    std::uint64_t offset_ = 0;
};

}  // namespace photosync::local
