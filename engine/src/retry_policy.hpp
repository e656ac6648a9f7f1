// The one retry policy of photosync. Plugins classify errors (sdk::ErrorKind);
// this decides what happens next, following Google's guidance: 5xx and
// connection errors back off exponentially from 1 s with jitter, 429 waits at
// least 30 s (or Retry-After), everything else is not retried.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

#include "photosync/sdk/error.hpp"

namespace photosync::engine {

struct RetryPolicy {
    int max_attempts = 6;  // including the first
    std::chrono::milliseconds base_delay{1000};
    std::chrono::milliseconds max_delay{60000};
    std::chrono::milliseconds rate_limit_delay{30000};

    // How long to wait before attempt number `next_attempt` (2 = first retry)
    // after `error`, or nullopt to give up.
    [[nodiscard]] std::optional<std::chrono::milliseconds> delay_before(
        const sdk::Error& error, int next_attempt, std::uint64_t random_bits) const;
};

}  // namespace photosync::engine
