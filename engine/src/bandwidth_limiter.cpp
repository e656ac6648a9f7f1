#include "bandwidth_limiter.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <ctime>

namespace photosync::engine {

namespace {

int local_minute_of_day() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

// A tenth of a second's worth: the burst the bucket holds when idle.
double burst_of(std::uint64_t rate) {
    return static_cast<double>(rate) / 10.0;
}

}  // namespace

BandwidthLimiter::BandwidthLimiter(BandwidthSchedule schedule, MinuteOfDay minute_of_day)
    : schedule_(std::move(schedule)),
      minute_of_day_(minute_of_day ? std::move(minute_of_day) : MinuteOfDay(local_minute_of_day)) {}

std::uint64_t BandwidthLimiter::rate_locked() {
    if (schedule_.rules.size() == 1 && schedule_.rules[0].minute == 0) {
        return schedule_.rules[0].bytes_per_second;
    }
    return schedule_.rate_at(minute_of_day_());
}

std::uint64_t BandwidthLimiter::rate_now() {
    std::lock_guard lock(mutex_);
    return rate_locked();
}

std::size_t BandwidthLimiter::chunk(std::size_t fallback) {
    std::uint64_t rate = rate_now();
    if (rate == 0) {
        return fallback;
    }
    return static_cast<std::size_t>(
        std::clamp<std::uint64_t>(rate / 10, 16 * 1024, std::max<std::uint64_t>(fallback, 1)));
}

BandwidthLimiter::Clock::duration BandwidthLimiter::take(std::uint64_t bytes,
                                                         Clock::time_point now) {
    std::lock_guard lock(mutex_);
    std::uint64_t rate = rate_locked();
    if (rate == 0) {
        rate_ = 0;
        started_ = false;  // when a limit starts again, it starts with a full burst
        return Clock::duration::zero();
    }
    if (!started_ || rate != rate_) {
        // A new rate (or the first use): a tenth of a second's burst, and any
        // debt run up at another rate is forgiven rather than re-priced.
        tokens_ = burst_of(rate);
        last_ = now;
        rate_ = rate;
        started_ = true;
    }
    if (now > last_) {
        double elapsed = std::chrono::duration<double>(now - last_).count();
        tokens_ = std::min(burst_of(rate), tokens_ + elapsed * static_cast<double>(rate));
        last_ = now;
    }
    tokens_ -= static_cast<double>(bytes);
    if (tokens_ >= 0) {
        return Clock::duration::zero();
    }
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(-tokens_ / static_cast<double>(rate)));
}

namespace {

class ThrottledStream final : public sdk::ByteStream {
  public:
    ThrottledStream(std::unique_ptr<sdk::ByteStream> inner, BandwidthLimiters limiters)
        : inner_(std::move(inner)), limiters_(std::move(limiters)) {}

    sdk::awaitable<sdk::Result<std::size_t>> read(std::span<std::byte> buffer) override {
        std::size_t want = buffer.size();
        for (const auto& l : limiters_) {
            want = std::min(want, l->chunk(buffer.size()));
        }
        auto n = co_await inner_->read(buffer.first(want));
        if (!n || *n == 0) {
            co_return n;
        }
        auto now = BandwidthLimiter::Clock::now();
        auto wait = BandwidthLimiter::Clock::duration::zero();
        for (const auto& l : limiters_) {
            wait = std::max(wait, l->take(*n, now));
        }
        if (wait > BandwidthLimiter::Clock::duration::zero()) {
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
            timer.expires_after(wait);
            auto [ec] = co_await timer.async_wait(sdk::use_tuple);
            if (ec) {
                co_return sdk::fail(sdk::ErrorKind::cancelled, "cancelled");
            }
        }
        co_return n;
    }

    [[nodiscard]] std::uint64_t size() const noexcept override { return inner_->size(); }

    sdk::awaitable<sdk::Result<void>> seek(std::uint64_t offset) override {
        return inner_->seek(offset);
    }

  private:
    std::unique_ptr<sdk::ByteStream> inner_;
    BandwidthLimiters limiters_;
};

}  // namespace

std::unique_ptr<sdk::ByteStream> throttle(std::unique_ptr<sdk::ByteStream> inner,
                                          BandwidthLimiters limiters) {
    if (limiters.empty()) {
        return inner;
    }
    return std::make_unique<ThrottledStream>(std::move(inner), std::move(limiters));
}

}  // namespace photosync::engine
