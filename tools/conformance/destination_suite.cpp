// What every Destination must do. Tests run in declaration order, from the
// simplest capability to the hardest; each names the SDK contract it checks
// (sdk/destination.hpp).
#include <unistd.h>

#include <atomic>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "harness.hpp"
#include "test_streams.hpp"

using namespace photosync;
using namespace photosync::conformance;
using namespace std::chrono_literals;

namespace {

std::string unique_title(const std::string& what) {
    return "photosync-conformance-" + what + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
}

sdk::awaitable<sdk::Result<sdk::Receipt>> stage(sdk::Destination& d, sdk::SourceItem item,
                                                std::uint64_t seed,
                                                std::optional<std::uint64_t> fail_after = {}) {
    SyntheticStream stream(item.size, seed, fail_after);
    co_return co_await d.stage(item, stream);
}

sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> commit(
    sdk::Destination& d, sdk::Container c, std::vector<sdk::StagedItem> items) {
    co_return co_await d.commit(c, items);
}

sdk::Container make_album(sdk::Destination& d, const std::string& what) {
    auto c =
        harness().run(d.resolve_container(sdk::ContainerRequest{unique_title(what), {}, true}));
    REQUIRE(c);
    return *c;
}

}  // namespace

TEST_CASE("destination 1: declares sane limits", "[destination]") {
    auto d = harness().destination();
    auto limits = d->limits();
    CHECK(limits.max_batch >= 1);
    CHECK(limits.max_item_size > 0);
    CHECK(limits.receipt_lifetime > 0s);
    CHECK_FALSE(d->describe().empty());
}

TEST_CASE("destination 2: creates a container, then finds it by title and by id", "[destination]") {
    auto d = harness().destination();
    auto title = unique_title("reuse");
    auto missing = harness().run(d->resolve_container(sdk::ContainerRequest{title, {}, false}));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == sdk::ErrorKind::not_found);
    auto created = harness().run(d->resolve_container(sdk::ContainerRequest{title, {}, true}));
    REQUIRE(created);
    CHECK_FALSE(created->id.empty());
    CHECK(created->title == title);
    CHECK(created->writable);
    auto by_title = harness().run(d->resolve_container(sdk::ContainerRequest{title, {}, true}));
    REQUIRE(by_title);
    CHECK(by_title->id == created->id);  // reused, never a second container
    auto by_id =
        harness().run(d->resolve_container(sdk::ContainerRequest{title, created->id, false}));
    REQUIRE(by_id);
    CHECK(by_id->id == created->id);
}

TEST_CASE("destination 3: staged items commit in order and are listed", "[destination]") {
    auto d = harness().destination();
    auto album = make_album(*d, "commit");
    std::vector<sdk::StagedItem> batch;
    for (int i = 0; i < 3; ++i) {
        auto item = synthetic_item("conformance-" + std::to_string(i) + ".jpg", 10000 + 1000 * i);
        auto r = harness().run(stage(*d, item, 100 + i));
        REQUIRE(r);
        CHECK_FALSE(r->token.empty());
        batch.push_back(sdk::StagedItem{item, *r});
    }
    auto listed_before = harness().run(d->list_container(album));
    REQUIRE(listed_before);
    CHECK(listed_before->empty());  // staging alone makes nothing visible
    auto outcomes = harness().run(commit(*d, album, batch));
    REQUIRE(outcomes);
    REQUIRE(outcomes->size() == batch.size());  // exactly one outcome per item
    for (const auto& o : *outcomes) {
        REQUIRE(o);
        CHECK_FALSE(o->remote_id.empty());
    }
    auto listed = harness().run(d->list_container(album));
    REQUIRE(listed);
    REQUIRE(listed->size() == 3);
    for (const auto& o : *outcomes) {
        CHECK(std::ranges::any_of(*listed,
                                  [&](const sdk::RemoteItem& r) { return r.id == o->remote_id; }));
    }
}

TEST_CASE("destination 4: a batch can half-succeed, one outcome per item", "[destination]") {
    auto d = harness().destination();
    auto album = make_album(*d, "partial");
    auto good1 = synthetic_item("good-1.jpg", 5000);
    auto good2 = synthetic_item("good-2.jpg", 6000);
    auto r1 = harness().run(stage(*d, good1, 7));
    auto r2 = harness().run(stage(*d, good2, 8));
    REQUIRE(r1);
    REQUIRE(r2);
    sdk::StagedItem bogus{synthetic_item("bogus.jpg", 10),
                          sdk::Receipt{"not-a-receipt", std::chrono::system_clock::now()}};
    auto outcomes = harness().run(commit(*d, album, {{good1, *r1}, bogus, {good2, *r2}}));
    REQUIRE(outcomes);
    REQUIRE(outcomes->size() == 3);
    CHECK((*outcomes)[0]);
    REQUIRE_FALSE((*outcomes)[1]);
    CHECK_FALSE((*outcomes)[1].error().retryable());  // retrying a bad receipt cannot help
    CHECK_FALSE((*outcomes)[1].error().message.empty());
    CHECK((*outcomes)[2]);
    auto listed = harness().run(d->list_container(album));
    REQUIRE(listed);
    CHECK(listed->size() == 2);
}

TEST_CASE("destination 5: a source read error fails the stage with a typed error",
          "[destination]") {
    auto d = harness().destination();
    auto item = synthetic_item("breaks.jpg", 2 << 20);
    auto r = harness().run(stage(*d, item, 9, std::uint64_t{1} << 20));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == sdk::ErrorKind::io);  // the stream's error, not a made-up one
}

TEST_CASE("destination 6: a stage stops soon after cancellation", "[destination]") {
    auto d = harness().destination();
    auto item = synthetic_item("slow.jpg", 64 << 20);
    auto task = [d, item]() -> sdk::awaitable<sdk::Result<sdk::Receipt>> {
        co_await boost::asio::this_coro::throw_if_cancelled(false);
        SyntheticStream stream(item.size, 11, std::nullopt, 20ms);  // ~forever at 20 ms a chunk
        co_return co_await d->stage(item, stream);
    };
    boost::asio::cancellation_signal signal;
    std::optional<sdk::Result<sdk::Receipt>> result;
    auto& io = harness().io();
    boost::asio::co_spawn(io, task(),
                          boost::asio::bind_cancellation_slot(
                              signal.slot(), [&](std::exception_ptr, sdk::Result<sdk::Receipt> r) {
                                  result = std::move(r);
                              }));
    boost::asio::steady_timer timer(io);
    timer.expires_after(300ms);
    timer.async_wait([&](auto) { signal.emit(boost::asio::cancellation_type::terminal); });
    auto start = std::chrono::steady_clock::now();
    io.restart();
    io.run_for(10s);
    REQUIRE(result.has_value());
    REQUIRE_FALSE(*result);
    CHECK(result->error().kind == sdk::ErrorKind::cancelled);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
}

TEST_CASE("destination 7: large items stream in constant memory", "[destination]") {
    auto d = harness().destination();
    std::uint64_t size = std::uint64_t{harness().settings().large_mb} << 20;
    auto item = synthetic_item("large.mp4", size);
    item.kind = sdk::MediaKind::video;
    item.mime_type = "video/mp4";
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> peak{0};
    auto baseline = resident_bytes();
    std::thread sampler([&] {
        while (!done) {
            peak = std::max<std::uint64_t>(peak, resident_bytes());
            std::this_thread::sleep_for(5ms);
        }
    });
    auto r = harness().run(stage(*d, item, 12));
    done = true;
    sampler.join();
    REQUIRE(r);
    auto growth = peak > baseline ? peak - baseline : 0;
    INFO("staged " << harness().settings().large_mb << " MB; resident memory grew by "
                   << (growth >> 20) << " MB");
    CHECK(growth < (64ULL << 20));
}
