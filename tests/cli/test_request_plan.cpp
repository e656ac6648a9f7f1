// The quota planner's arithmetic: what a run costs in API requests and days.
#include <catch2/catch.hpp>

#include "request_plan.hpp"

using namespace photosync::cli;

namespace {
constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kThreshold = 20 * kMiB;
}  // namespace

TEST_CASE("12,400 small photos cost one upload each, one batchCreate per 50, and the album calls") {
    auto plan = plan_requests(12400, 0, 10000);
    CHECK(plan.requests == 12400 + 248 + 2);
    CHECK(plan.days == 2);
    CHECK(plan_line(plan) ==
          "12,400 files to upload ≈ 12,650 requests ≈ 2 days at 10,000 requests/day");
}

TEST_CASE("files above the resumable threshold cost one request more each") {
    CHECK(plan_requests(10, 3, 10000).requests == 10 + 3 + 1 + 2);
    CHECK(plan_requests(2, 5, 10000).requests == 2 + 2 + 1 + 2);  // never more than the files
    // Known only by their total size: as many as could be that large.
    CHECK(large_files_at_most(10, 3 * kThreshold + 7 * kMiB, kThreshold) == 3);
    CHECK(large_files_at_most(2, 100 * kThreshold, kThreshold) == 2);
    CHECK(large_files_at_most(100, 100 * kMiB, kThreshold) == 5);
    CHECK(large_files_at_most(4, 4, 0) == 4);
}

TEST_CASE("a partial batch is still one batchCreate, and days round up") {
    CHECK(plan_requests(51, 0, 10000).requests == 51 + 2 + 2);
    CHECK(plan_requests(50, 0, 10000).requests == 50 + 1 + 2);
    auto plan = plan_requests(100, 0, 40);
    CHECK(plan.requests == 104);
    CHECK(plan.days == 3);
    CHECK(plan_line(plan) == "100 files to upload ≈ 104 requests ≈ 3 days at 40 requests/day");
    CHECK(plan_line(plan_requests(1, 0, 10000)) ==
          "1 file to upload ≈ 4 requests ≈ 1 day at 10,000 requests/day");
}

TEST_CASE("the plan is said when it needs more than half a day's budget, or with -v") {
    CHECK_FALSE(plan_worth_saying(plan_requests(4000, 0, 10000), false));
    CHECK(plan_worth_saying(plan_requests(6000, 0, 10000), false));
    CHECK(plan_worth_saying(plan_requests(3, 0, 10000), true));
    CHECK_FALSE(plan_worth_saying(plan_requests(0, 0, 10000), true));
}

TEST_CASE("without a daily budget the plan names requests only") {
    auto plan = plan_requests(12400, 0, 0);
    CHECK(plan.days == 0);
    CHECK(plan_line(plan) == "12,400 files to upload ≈ 12,650 requests");
    CHECK_FALSE(plan_worth_saying(plan, false));
    CHECK(with_thousands(0) == "0");
    CHECK(with_thousands(999) == "999");
    CHECK(with_thousands(1000) == "1,000");
    CHECK(with_thousands(1234567) == "1,234,567");
}

TEST_CASE("the plan reads the gphotos options and ignores other destinations") {
    std::map<std::string, std::string, std::less<>> options;
    CHECK_FALSE(plan_settings("folder", options));
    auto defaults = plan_settings("gphotos", options);
    REQUIRE(defaults);
    CHECK(defaults->per_day == 10000);
    CHECK(defaults->resumable_threshold == kThreshold);
    options["max_requests_per_day"] = "3000";
    options["resumable_threshold"] = "1048576";
    auto set = plan_settings("gphotos", options);
    REQUIRE(set);
    CHECK(set->per_day == 3000);
    CHECK(set->resumable_threshold == kMiB);
    options["max_requests_per_day"] = "lots";
    CHECK(plan_settings("gphotos", options)->per_day == 10000);
}
