#include <catch2/catch.hpp>

#include "batch_planner.hpp"

using photosync::engine::BatchPlanner;
using namespace std::chrono_literals;

namespace {

photosync::sdk::StagedItem staged(std::uint64_t seq) {
    photosync::sdk::StagedItem s;
    s.item.path = "f" + std::to_string(seq) + ".jpg";
    s.receipt.token = "t" + std::to_string(seq);
    return s;
}

std::vector<std::string> paths(const std::vector<photosync::sdk::StagedItem>& batch) {
    std::vector<std::string> out;
    for (const auto& s : batch)
        out.push_back(s.item.path);
    return out;
}

}  // namespace

TEST_CASE("a full contiguous batch at the head goes at once, in scan order") {
    BatchPlanner p(3, 100, 30s);
    auto now = BatchPlanner::Clock::now();
    for (std::uint64_t i = 0; i < 5; ++i)
        p.expect(i);
    p.ready(2, staged(2), now);
    p.ready(1, staged(1), now);
    CHECK(p.next_batch(now, false).empty());  // 0 still in flight
    p.ready(0, staged(0), now);
    CHECK(paths(p.next_batch(now, false)) ==
          std::vector<std::string>{"f0.jpg", "f1.jpg", "f2.jpg"});
    CHECK(p.next_batch(now, false).empty());
}

TEST_CASE("a short batch waits while more may come, and goes when input is complete") {
    BatchPlanner p(50, 100, 30s);
    auto now = BatchPlanner::Clock::now();
    p.expect(0);
    p.expect(1);
    p.ready(0, staged(0), now);
    CHECK(p.next_batch(now, false).empty());
    CHECK(p.next_batch(now, true).empty());  // 1 is still in flight
    p.drop(1);                               // ...and then fails
    CHECK(paths(p.next_batch(now, true)) == std::vector<std::string>{"f0.jpg"});
    CHECK(p.empty());
}

TEST_CASE("dropped items leave no gap in the head run") {
    BatchPlanner p(2, 100, 30s);
    auto now = BatchPlanner::Clock::now();
    for (std::uint64_t i = 0; i < 3; ++i)
        p.expect(i);
    p.drop(0);
    p.ready(1, staged(1), now);
    p.ready(2, staged(2), now);
    CHECK(paths(p.next_batch(now, false)) == std::vector<std::string>{"f1.jpg", "f2.jpg"});
}

TEST_CASE("a slow head item does not stall more than the reorder window") {
    BatchPlanner p(2, 4, 30s);
    auto now = BatchPlanner::Clock::now();
    for (std::uint64_t i = 0; i < 6; ++i)
        p.expect(i);
    for (std::uint64_t i = 1; i < 4; ++i)
        p.ready(i, staged(i), now);
    CHECK(p.next_batch(now, false).empty());  // 3 waiting < window of 4
    p.ready(4, staged(4), now);
    CHECK(paths(p.next_batch(now, false)) == std::vector<std::string>{"f1.jpg", "f2.jpg"});
    CHECK(p.staged_count() == 2);
}

TEST_CASE("staged items that waited too long are committed with gaps") {
    BatchPlanner p(50, 100, 30s);
    auto t0 = BatchPlanner::Clock::now();
    p.expect(0);
    p.expect(1);
    p.ready(1, staged(1), t0);
    CHECK(p.next_batch(t0 + 29s, false).empty());
    CHECK(paths(p.next_batch(t0 + 30s, false)) == std::vector<std::string>{"f1.jpg"});
}

TEST_CASE("batches never exceed the destination's maximum") {
    BatchPlanner p(50, 1000, 30s);
    auto now = BatchPlanner::Clock::now();
    for (std::uint64_t i = 0; i < 120; ++i) {
        p.expect(i);
        p.ready(i, staged(i), now);
    }
    std::vector<std::size_t> sizes;
    for (auto b = p.next_batch(now, true); !b.empty(); b = p.next_batch(now, true)) {
        sizes.push_back(b.size());
    }
    CHECK(sizes == std::vector<std::size_t>{50, 50, 20});
}
