// One token bucket shared by every upload of an Engine (and one more per job
// that sets its own limit): bytes read for an upload take tokens; a read that
// overdraws the bucket waits until the debt is paid, so the rate holds
// however many uploads run at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "photosync/engine/bandwidth.hpp"
#include "photosync/sdk/byte_stream.hpp"

namespace photosync::engine {

class BandwidthLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    // The minute of the local day now (tests pass their own).
    using MinuteOfDay = std::function<int()>;

    explicit BandwidthLimiter(BandwidthSchedule schedule, MinuteOfDay minute_of_day = {});

    // Takes `bytes` at `now`; returns how long the caller must wait before
    // sending them (zero while within the rate). Thread-safe.
    Clock::duration take(std::uint64_t bytes, Clock::time_point now);

    // The rate now (bytes per second, 0: no limit).
    std::uint64_t rate_now();

    // The most a single read should ask for, so the flow stays smooth: a
    // tenth of a second's worth (at least 16 KiB); `fallback` when unlimited.
    std::size_t chunk(std::size_t fallback);

    [[nodiscard]] const BandwidthSchedule& schedule() const noexcept { return schedule_; }

  private:
    std::uint64_t rate_locked();

    BandwidthSchedule schedule_;
    MinuteOfDay minute_of_day_;
    std::mutex mutex_;
    std::uint64_t rate_ = 0;  // the rate the bucket was last filled at
    double tokens_ = 0;       // bytes; negative: debt
    Clock::time_point last_{};
    bool started_ = false;
};

using BandwidthLimiters = std::vector<std::shared_ptr<BandwidthLimiter>>;

// `inner` read through `limiters`: each read takes its bytes from every
// limiter and waits (on a timer of the calling executor, cancellable) for the
// longest of them.
std::unique_ptr<sdk::ByteStream> throttle(std::unique_ptr<sdk::ByteStream> inner,
                                          BandwidthLimiters limiters);

}  // namespace photosync::engine
