// Re-runs and crashes against Google Photos as the emulator plays it: the real
// CLI, the real ledger, kill -9 at chosen points, and the emulator's own
// counters and album contents as the judge.
#include <algorithm>
#include <csignal>
#include <random>
#include <set>

#include "gphotos_cli.hpp"

using namespace photosync;
using namespace photosync::test;

TEST_CASE("a re-run sends no upload request, then one changed and one new file are two uploads") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 30);
    auto first = cli.run({"sync", folder.path().string(), "Again"});
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);

    reset_stats(f);
    auto again = cli.run({"sync", folder.path().string(), "Again"});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::StartsWith("succeeded: 0 of 0 files uploaded") &&
                              Catch::Contains("30 unchanged"));
    auto s = f.stats();
    CHECK(upload_requests(s) == 0);
    CHECK(GphotosFixture::requests(s, "mediaItems.batchCreate") == 0);
    CHECK(GphotosFixture::requests(s, "mediaItems.search") == 0);  // the ledger is enough

    // Google Photos has no replace: a changed file becomes a new item beside the old one.
    write_media(folder / "img_003.jpg", Fake::jpeg, 5000, 99);
    photos(folder.path(), 30, 31);
    reset_stats(f);
    auto two = cli.run({"sync", folder.path().string(), "Again"});
    INFO(two.out << two.err);
    CHECK(two.exit_code == 0);
    CHECK_THAT(two.out, Catch::StartsWith("succeeded: 2 of 2 files uploaded") &&
                            Catch::Contains("29 unchanged"));
    s = f.stats();
    CHECK(upload_requests(s) == 2);
    CHECK(GphotosFixture::requests(s, "uploads.raw") == 2);
    CHECK(GphotosFixture::requests(s, "mediaItems.batchCreate") == 1);
    CHECK(the_album(f, "Again")["mediaItemIds"].size() == 32);
}

TEST_CASE("a batchCreate reply lost in flight is reconciled in the same run: each file once",
          "[concurrency]") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 120);
    f.inject({{"kind", "drop_before_reply"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    auto r = cli.run({"sync", folder.path().string(), "Lost reply"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("succeeded: 120 of 120 files uploaded"));
    auto s = f.stats();
    CHECK(dropped(s, "mediaItems.batchCreate") == 1);
    CHECK(GphotosFixture::requests(s, "mediaItems.search") >= 1);  // the album was asked
    CHECK(upload_requests(s) == 120);                              // nothing uploaded twice
    check_each_file_once(f, "Lost reply", 120);
}

// kill -9 at the points that matter, each time on the ledger the last one left:
// (1) after a batchCreate was carried out but its reply never arrived, (2) in
// the middle of the uploads, (3) between uploads and their commit, then at
// random moments. One run to the end, then the emulator's album is checked.
TEST_CASE("kill -9 at five points of a 500-file sync: the album holds each file exactly once",
          "[concurrency]") {
    constexpr int kFiles = 500;
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 1000, 1000 + kFiles);
    const std::vector<std::string> sync{"sync", folder.path().string(), "Crashes", "--jobs", "8"};
    auto killed_when = [&](std::function<bool(const json&)> stats_say) {
        ProcessOptions o;
        o.kill_when = [&f, stats_say](const ProcessResult&) { return stats_say(f.stats()); };
        auto r = cli.run(sync, {}, o);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 128 + SIGKILL);
        (void)f.control("DELETE", "/__emulator/faults");
    };

    // (1) The hard case. The first batchCreate is carried out and its reply
    // lost; the album listing that would tell is held up, so the process
    // dies knowing only that it had asked.
    f.inject({{"kind", "drop_before_reply"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    f.inject({{"kind", "latency"},
              {"endpoint", "mediaItems.search"},
              {"latency_ms", 20000},
              {"count", 1}});
    killed_when([](const json& s) { return dropped(s, "mediaItems.batchCreate") >= 1; });
    const auto created = the_album(f, "Crashes")["mediaItemIds"].size();
    INFO("items the lost reply created: " << created);
    CHECK(created > 0);

    // (2) In the middle of the uploads (the run starts by reconciling (1)).
    reset_stats(f);
    killed_when([](const json& s) { return GphotosFixture::requests(s, "uploads.raw") >= 60; });
    CHECK(the_album(f, "Crashes")["mediaItemIds"].size() >= created);

    // (3) Uploads done, commit refused with 503 (no side effect) and waiting to retry.
    f.inject({{"kind", "error"},
              {"status", 503},
              {"endpoint", "mediaItems.batchCreate"},
              {"count", -1}});
    killed_when([](const json& s) {
        return GphotosFixture::with_status(s, "mediaItems.batchCreate", "503") >= 1;
    });

    // (4, 5) Anywhere in what is left: the commits.
    std::mt19937 rng(20261124);
    for (int i = 0; i < 2; ++i) {
        ProcessOptions o;
        o.kill_after = std::chrono::milliseconds(20 + rng() % 200);
        auto r = cli.run(sync, {}, o);
        WARN("random kill after " << o.kill_after.count() << " ms: exit " << r.exit_code
                                  << ", album " << the_album(f, "Crashes")["mediaItemIds"].size());
    }

    reset_stats(f);
    auto last = cli.run(sync);
    INFO(last.out << last.err);
    CHECK(last.exit_code == 0);
    check_each_file_once(f, "Crashes", kFiles);
    const auto s = f.stats();
    WARN("the completing run: " << upload_requests(s) << " uploads, "
                                << GphotosFixture::requests(s, "mediaItems.batchCreate")
                                << " batchCreate, "
                                << GphotosFixture::requests(s, "mediaItems.search")
                                << " album listings");

    reset_stats(f);
    auto rerun = cli.run(sync);
    CHECK_THAT(rerun.out, Catch::Contains(std::to_string(kFiles) + " unchanged"));
    CHECK(upload_requests(f.stats()) == 0);
}
