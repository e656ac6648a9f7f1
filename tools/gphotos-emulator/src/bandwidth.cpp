#include "bandwidth.hpp"

namespace gpe {

std::chrono::nanoseconds BandwidthLimiter::reserve(std::uint64_t n, std::uint64_t bps) {
    if (bps == 0 || n == 0)
        return std::chrono::nanoseconds{0};
    const auto now = std::chrono::steady_clock::now();
    const auto cost = std::chrono::nanoseconds(static_cast<std::int64_t>(
        static_cast<long double>(n) * 1e9L / static_cast<long double>(bps)));
    std::lock_guard lock(mu_);
    // Idle time does not accumulate credit beyond one cost (no huge bursts).
    if (next_free_ < now)
        next_free_ = now;
    next_free_ += cost;
    // The bytes just read "arrive" at next_free_: wait until then.
    return std::chrono::duration_cast<std::chrono::nanoseconds>(next_free_ - now);
}

}  // namespace gpe
