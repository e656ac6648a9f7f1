#pragma once
// Shared bandwidth cap for upload bodies (models the user's uplink): every
// reader reserves bytes and is told how long to wait before reading on.

#include <chrono>
#include <cstdint>
#include <mutex>

namespace gpe {

class BandwidthLimiter {
  public:
    // Returns the delay before the caller may consume n more bytes.
    std::chrono::nanoseconds reserve(std::uint64_t n, std::uint64_t bytes_per_s);

  private:
    std::mutex mu_;
    std::chrono::steady_clock::time_point next_free_{};
};

}  // namespace gpe
