#include <catch2/catch.hpp>

#include "retry_policy.hpp"

using photosync::engine::RetryPolicy;
using photosync::sdk::Error;
using photosync::sdk::ErrorKind;
using namespace std::chrono_literals;

TEST_CASE("transient errors back off exponentially from one second, with bounded jitter") {
    RetryPolicy p;
    Error e{ErrorKind::transient, "503"};
    for (int attempt = 2; attempt <= p.max_attempts; ++attempt) {
        auto nominal = std::min(p.max_delay, p.base_delay * (1 << (attempt - 2)));
        for (std::uint64_t r : {0ULL, 12345ULL, ~0ULL}) {
            auto d = p.delay_before(e, attempt, r);
            REQUIRE(d);
            CHECK(*d >= nominal);
            CHECK(*d <= nominal * 3 / 2 + 1ms);
        }
    }
    CHECK_FALSE(p.delay_before(e, p.max_attempts + 1, 0));
}

TEST_CASE("429 waits at least 30 s, or longer when the server says so") {
    RetryPolicy p;
    Error e{ErrorKind::rate_limited, "429"};
    CHECK(*p.delay_before(e, 2, 0) == 30s);
    e.retry_after = 90s;
    CHECK(*p.delay_before(e, 2, 0) == 90s);
}

TEST_CASE("errors a retry cannot fix are not retried") {
    RetryPolicy p;
    for (auto k : {ErrorKind::invalid_input, ErrorKind::auth, ErrorKind::quota_exhausted,
                   ErrorKind::unknown_outcome, ErrorKind::permission, ErrorKind::not_found}) {
        CHECK_FALSE(p.delay_before(Error{k, "x"}, 2, 0));
    }
}
