#include "retry_policy.hpp"

#include <algorithm>

namespace photosync::engine {

std::optional<std::chrono::milliseconds> RetryPolicy::delay_before(
    const sdk::Error& error, int next_attempt, std::uint64_t random_bits) const {
    using std::chrono::milliseconds;
    if (!error.retryable() || next_attempt > max_attempts || next_attempt < 2) {
        return std::nullopt;
    }
    // Jitter spreads retries of many concurrent items so they do not arrive in
    // synchronised bursts: up to +50% of the nominal delay.
    auto jitter = [&](milliseconds nominal) {
        auto spread = static_cast<std::uint64_t>(nominal.count() / 2 + 1);
        return nominal + milliseconds(static_cast<std::int64_t>(random_bits % spread));
    };
    if (error.kind == sdk::ErrorKind::rate_limited) {
        milliseconds floor =
            std::max(rate_limit_delay, error.retry_after.value_or(milliseconds(0)));
        return jitter(floor);
    }
    int doublings = std::min(next_attempt - 2, 20);
    milliseconds nominal = std::min(max_delay, base_delay * (std::int64_t{1} << doublings));
    if (error.retry_after) {
        nominal = std::max(nominal, *error.retry_after);
    }
    return jitter(nominal);
}

}  // namespace photosync::engine
