// An item's content as an asynchronous stream of chunks: nothing ever holds a
// whole file in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::sdk {

class ByteStream {
  public:
    virtual ~ByteStream() = default;

    // Reads up to buffer.size() bytes into buffer. Returns 0 only at the end of
    // the stream. Never blocks the calling executor. Errors: io (read failed),
    // invalid_input (the content changed while streaming, or is not what the
    // item claims to be), cancelled.
    virtual awaitable<Result<std::size_t>> read(std::span<std::byte> buffer) = 0;

    // Total number of bytes the stream yields, known before the first read
    // (uploads announce it up front).
    [[nodiscard]] virtual std::uint64_t size() const noexcept = 0;

    // Repositions the stream so the next read starts at offset (resumable
    // uploads continue where the server says it stopped). offset <= size().
    virtual awaitable<Result<void>> seek(std::uint64_t offset) = 0;
};

}  // namespace photosync::sdk
