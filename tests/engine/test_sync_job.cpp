// Whole sync jobs on the Engine with the real plugins: local -> folder.
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "media_files.hpp"
#include "photosync/engine/engine.hpp"
#include "plugin_harness.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using namespace std::chrono_literals;

namespace {

engine::EngineOptions test_engine_options(const fs::path& state) {
    engine::EngineOptions o;
    o.plugin_dirs = {PHOTOSYNC_TEST_PLUGIN_DIR};
    o.standard_plugin_dirs = false;
    o.state_dir = state;
    o.log = std::make_shared<test::RecordingLog>();
    return o;
}

engine::JobSpec spec_for(const fs::path& from, const fs::path& to, std::string album,
                         std::size_t concurrency = 0) {
    engine::JobSpec spec;
    spec.source = *engine::Endpoint::parse("local:" + from.string());
    spec.destination = *engine::Endpoint::parse("folder:" + to.string());
    spec.album = std::move(album);
    spec.concurrency = concurrency;
    return spec;
}

class CountingObserver final : public engine::JobObserver {
  public:
    void on_event(const engine::JobEvent& e) noexcept override {
        std::lock_guard lock(mutex_);
        ++counts_[static_cast<int>(e.type)];
    }
    int count(engine::JobEvent::Type t) {
        std::lock_guard lock(mutex_);
        return counts_[static_cast<int>(t)];
    }

  private:
    std::mutex mutex_;
    int counts_[8]{};
};

}  // namespace

TEST_CASE("a job copies a tree of 120 items into an album, byte for byte", "[concurrency]") {
    test::TempDir tmp;
    std::vector<std::string> names;
    for (int i = 0; i < 120; ++i) {
        auto name = "day" + std::to_string(i % 4) + "/IMG_" + std::to_string(1000 + i) + ".jpg";
        test::write_media(tmp / ("src/" + name), test::Fake::jpeg,
                          1000 + 97 * static_cast<std::size_t>(i), i);
        names.push_back(name);
    }
    engine::Engine engine(test_engine_options(tmp / "state"));
    auto observer = std::make_shared<CountingObserver>();
    auto job = engine.start(spec_for(tmp / "src", tmp / "dst", "Trip 2026", 5), observer);
    REQUIRE(job);
    auto report = (*job)->wait();
    CHECK(report.state == engine::JobState::succeeded);
    CHECK(report.counters.files_found == 120);
    CHECK(report.counters.files_done == 120);
    CHECK(report.counters.files_failed == 0);
    CHECK(report.counters.bytes_done == report.counters.bytes_found);
    CHECK(report.counters.scan_complete);
    CHECK(report.container.title == "Trip 2026");
    CHECK(observer->count(engine::JobEvent::Type::item_committed) == 120);
    CHECK(observer->count(engine::JobEvent::Type::finished) == 1);
    for (const auto& name : names) {
        auto flat = fs::path(name).filename();
        REQUIRE(test::read_file(tmp / "dst/Trip 2026" / flat) ==
                test::read_file(tmp / "src" / name));
    }
}

TEST_CASE("items that fail are reported while the rest land", "[concurrency]") {
    test::TempDir tmp;
    test::write_media(tmp / "src/good.jpg", test::Fake::jpeg, 4000, 1);
    test::write_media(tmp / "src/corrupt.jpg", test::Fake::text, 4000, 2);
    std::ofstream(tmp / "src/empty.png").close();
    engine::Engine engine(test_engine_options(tmp / "state"));
    auto job = engine.start(spec_for(tmp / "src", tmp / "dst", "A"));
    REQUIRE(job);
    auto report = (*job)->wait();
    CHECK(report.state == engine::JobState::partially_failed);
    CHECK(report.counters.files_done == 1);
    CHECK(report.counters.files_failed == 2);
    REQUIRE(report.failures.size() == 2);
    std::set<std::string> failed{report.failures[0].path, report.failures[1].path};
    CHECK(failed == std::set<std::string>{"corrupt.jpg", "empty.png"});
    CHECK(fs::exists(tmp / "dst/A/good.jpg"));
    CHECK_FALSE(fs::exists(tmp / "dst/A/corrupt.jpg"));
}

TEST_CASE("an unknown destination plugin is refused before anything runs") {
    test::TempDir tmp;
    engine::Engine engine(test_engine_options(tmp / "state"));
    auto spec = spec_for(tmp.path(), tmp / "dst", "A");
    spec.destination.plugin = "nope";
    auto job = engine.start(std::move(spec));
    REQUIRE_FALSE(job);
    CHECK(job.error().kind == sdk::ErrorKind::not_found);
}

TEST_CASE("cancel stops a job within a second and leaves no torn file", "[concurrency]") {
    test::TempDir tmp;
    for (int i = 0; i < 12; ++i) {
        test::write_media(tmp / ("src/v" + std::to_string(i) + ".mp4"), test::Fake::mp4, 24 << 20,
                          i);
    }
    engine::Engine engine(test_engine_options(tmp / "state"));
    auto job = engine.start(spec_for(tmp / "src", tmp / "dst", "Big", 2));
    REQUIRE(job);
    while ((*job)->counters().bytes_done == 0) {
        std::this_thread::sleep_for(1ms);
    }
    auto asked = std::chrono::steady_clock::now();
    (*job)->cancel();
    auto report = (*job)->wait_for(5s);
    auto took = std::chrono::steady_clock::now() - asked;
    REQUIRE(report);
    CHECK(report->state == engine::JobState::cancelled);
    CHECK(took < 1s);
    CHECK(report->counters.files_done < 12);
    // Whatever is in the album is complete; nothing half-written is left staged.
    // The album exists only if a batch was committed before the cancel.
    std::error_code no_album;
    for (const auto& e : fs::directory_iterator(tmp / "dst/Big", no_album)) {
        CHECK(test::read_file(e.path()) == test::read_file(tmp / "src" / e.path().filename()));
    }
    CHECK(fs::is_empty(tmp / "dst/.photosync-staging"));
}

// JobSpec::census counts what a run will upload ahead of its scan, once the
// run has gone a second: a run whose scan is over sooner is not kept waiting
// for it, and a longer one gets the count while its uploads go on.
TEST_CASE("the look ahead counts what a long run will upload, and holds up no short one",
          "[concurrency]") {
    test::TempDir tmp;
    for (int i = 0; i < 5; ++i) {
        test::write_media(tmp / ("src/a" + std::to_string(i) + ".jpg"), test::Fake::jpeg, 2000, i);
    }
    engine::Engine engine(test_engine_options(tmp / "state"));
    auto spec = spec_for(tmp / "src", tmp / "dst", "Quick");
    spec.census = true;
    auto job = engine.start(spec, nullptr);
    REQUIRE(job);
    auto report = (*job)->wait();
    CHECK(report.state == engine::JobState::succeeded);
    CHECK(report.counters.files_done == 5);
    CHECK(report.elapsed < 900ms);  // not held to the look ahead's one-second start
    CHECK_FALSE(report.counters.census_complete);

    // A long run: 60 more files, 1 at a time, each held up by a 1 MiB/s limit.
    // The ledger keeps whole seconds: what a run committed in the second the
    // next began counts for that one too (the estimate errs high), so wait.
    std::this_thread::sleep_for(1100ms);
    for (int i = 0; i < 60; ++i) {
        test::write_media(tmp / ("src/b" + std::to_string(i) + ".jpg"), test::Fake::jpeg, 60000, i);
    }
    auto slow = spec_for(tmp / "src", tmp / "dst", "Quick", 1);
    slow.census = true;
    slow.bwlimit = *engine::parse_bandwidth("1M");
    auto long_job = engine.start(slow, nullptr);
    REQUIRE(long_job);
    std::optional<engine::JobCounters> seen;
    while (!(*long_job)->wait_for(20ms)) {
        auto c = (*long_job)->counters();
        if (c.census_complete && !c.scan_complete) {
            seen = c;
            break;
        }
    }
    REQUIRE(seen);
    CHECK(seen->census_files == 60);  // the 5 of the first run are unchanged
    CHECK(seen->census_bytes == 60 * 60000);
    CHECK(seen->files_done < 60);
    (*long_job)->cancel();
    (void)(*long_job)->wait();
}
