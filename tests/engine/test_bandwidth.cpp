#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "async.hpp"
#include "bandwidth_limiter.hpp"
#include "memory_stream.hpp"
#include "photosync/engine/bandwidth.hpp"

using photosync::engine::BandwidthLimiter;
using photosync::engine::parse_bandwidth;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t KiB = 1024, MiB = 1024 * 1024;

std::uint64_t rate_of(const std::string& text) {
    auto s = parse_bandwidth(text);
    REQUIRE(s);
    REQUIRE(s->rules.size() == 1);
    CHECK(s->rules[0].minute == 0);
    return s->rules[0].bytes_per_second;
}

}  // namespace

TEST_CASE("bandwidth rates: k, M, G are binary, a bare number is KiB/s, B is bytes") {
    CHECK(rate_of("2M") == 2 * MiB);
    CHECK(rate_of("2m") == 2 * MiB);
    CHECK(rate_of("512k") == 512 * KiB);
    CHECK(rate_of("512K") == 512 * KiB);
    CHECK(rate_of("1.5M") == 3 * MiB / 2);
    CHECK(rate_of("1G") == 1024 * MiB);
    CHECK(rate_of("100") == 100 * KiB);
    CHECK(rate_of("100000B") == 100000);
    CHECK(rate_of(" 2M ") == 2 * MiB);
    auto off = parse_bandwidth("off");
    REQUIRE(off);
    CHECK(off->unlimited());
    CHECK(off->rate_at(600) == 0);
    for (const char* zero : {"0", "0k", "OFF"}) {
        auto z = parse_bandwidth(zero);
        REQUIRE(z);
        CHECK(z->unlimited());  // rclone's 0
    }
}

TEST_CASE("bandwidth: bad values are one line naming the value and the accepted forms") {
    for (const char* text :
         {"", "fast", "2X", "-1M", "M", "2 M", "1e400M", "08:00", "8:00,512k 23:00", "25:00,1M",
          "08:60,1M", "08:00,fast", "08:00,1M 08:00,2M", "0800,1M", "08:00;1M"}) {
        auto s = parse_bandwidth(text);
        INFO(text);
        REQUIRE_FALSE(s);
        CHECK(s.error().kind == photosync::sdk::ErrorKind::invalid_input);
        CHECK_THAT(s.error().message,
                   Catch::StartsWith("bad bandwidth limit '" + std::string(text) + "'") &&
                       Catch::Contains("'off'") && Catch::Contains("2M") &&
                       Catch::Contains("08:00,512k 23:00,off"));
        CHECK(s.error().message.find('\n') == std::string::npos);
    }
}

TEST_CASE("bandwidth schedule: the latest entry at or before now applies, wrapping at midnight") {
    auto s = parse_bandwidth("23:00,off 08:00,512k  12:30,2M");
    REQUIRE(s);
    REQUIRE(s->rules.size() == 3);
    CHECK(s->rules[0].minute == 8 * 60);  // sorted
    CHECK(s->rate_at(8 * 60) == 512 * KiB);
    CHECK(s->rate_at(12 * 60 + 29) == 512 * KiB);
    CHECK(s->rate_at(12 * 60 + 30) == 2 * MiB);
    CHECK(s->rate_at(22 * 60 + 59) == 2 * MiB);
    CHECK(s->rate_at(23 * 60) == 0);
    CHECK(s->rate_at(3 * 60) == 0);  // after midnight: still 23:00's "off"
    auto night = parse_bandwidth("01:00,off 19:00,1M");
    REQUIRE(night);
    CHECK(night->rate_at(0) == MiB);  // 19:00's limit runs on past midnight
    CHECK(night->rate_at(60) == 0);
    CHECK_FALSE(night->unlimited());
    CHECK(photosync::engine::describe(*night) == "01:00 off, 19:00 1 MiB/s");
    CHECK(photosync::engine::describe(*parse_bandwidth("1.5M")) == "1.50 MiB/s");
}

TEST_CASE("token bucket: a tenth of a second's burst, then the rate, shared by all takers") {
    BandwidthLimiter limiter(*parse_bandwidth("1M"));
    auto t0 = BandwidthLimiter::Clock::now();
    // The burst (100 ms worth) goes at once.
    CHECK(limiter.take(MiB / 10, t0) == 0s);
    // Then each taker waits for what it and everyone before it took.
    auto first = limiter.take(MiB / 2, t0);
    auto second = limiter.take(MiB / 2, t0);
    CHECK(first > 490ms);
    CHECK(first < 510ms);
    CHECK(second > 990ms);
    CHECK(second < 1010ms);
    // Time pays the debt at the rate: half a second later, half a MiB is still owed.
    auto later = limiter.take(0, t0 + 500ms);
    CHECK(later > 490ms);
    CHECK(later < 510ms);
    // An idle bucket refills only to the burst, never beyond.
    CHECK(limiter.take(MiB / 10, t0 + 60s) == 0s);
    CHECK(limiter.take(MiB / 10, t0 + 60s) > 90ms);
}

TEST_CASE("token bucket: over a long run the bytes let through match the rate") {
    BandwidthLimiter limiter(*parse_bandwidth("4M"));
    auto now = BandwidthLimiter::Clock::now();
    auto start = now;
    std::uint64_t sent = 0;
    // Eight takers of 64 KiB reads, each sleeping as long as it is told.
    std::vector<BandwidthLimiter::Clock::time_point> ready(8, now);
    while (sent < 64 * MiB) {
        auto it = std::ranges::min_element(ready);
        auto wait = limiter.take(64 * KiB, *it);
        *it += wait;
        sent += 64 * KiB;
    }
    double seconds =
        std::chrono::duration<double>(*std::ranges::max_element(ready) - start).count();
    double rate = static_cast<double>(sent) / seconds;
    CHECK(rate > 4.0 * MiB * 0.97);
    CHECK(rate < 4.0 * MiB * 1.03);
}

TEST_CASE("token bucket: the schedule's rate now applies, and off lets everything through") {
    int minute = 7 * 60;
    BandwidthLimiter limiter(*parse_bandwidth("08:00,1M 23:00,off"), [&] { return minute; });
    auto t0 = BandwidthLimiter::Clock::now();
    CHECK(limiter.rate_now() == 0);  // 07:00: still last night's "off"
    CHECK(limiter.take(100 * MiB, t0) == 0s);
    minute = 8 * 60;
    CHECK(limiter.rate_now() == MiB);
    CHECK(limiter.take(MiB / 10, t0) == 0s);  // a fresh burst when the limit starts
    CHECK(limiter.take(MiB, t0) > 990ms);
    CHECK(limiter.chunk(1 << 20) == MiB / 10);
    minute = 23 * 60;
    CHECK(limiter.take(100 * MiB, t0) == 0s);
    CHECK(limiter.chunk(1 << 20) == 1 << 20);
}

TEST_CASE("a throttled stream yields every byte, in reads no bigger than a tenth of a second") {
    std::string data(300 * 1024, 'x');
    for (std::size_t i = 0; i < data.size(); ++i) {
        data[i] = static_cast<char>(i * 7);
    }
    auto limiter = std::make_shared<BandwidthLimiter>(*parse_bandwidth("1M"));
    auto stream = photosync::engine::throttle(std::make_unique<photosync::test::MemoryStream>(data),
                                              {limiter});
    boost::asio::io_context io;
    auto start = std::chrono::steady_clock::now();
    auto out = photosync::test::run_awaitable(io, [&]() -> photosync::sdk::awaitable<std::string> {
        std::string got;
        std::vector<std::byte> buf(1 << 20);
        for (;;) {
            auto n = co_await stream->read(buf);
            REQUIRE(n);
            if (*n == 0) {
                break;
            }
            CHECK(*n <= MiB / 10);
            got.append(reinterpret_cast<const char*>(buf.data()), *n);
        }
        co_return got;
    }());
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(out == data);
    // 300 KiB at 1 MiB/s with a 100 ms burst: at least ~190 ms.
    CHECK(elapsed > 180ms);
    CHECK(elapsed < 3s);
}
