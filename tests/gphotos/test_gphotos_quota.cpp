// The daily request budget (--max-requests-per-day) against the emulator: a
// 100-file sync on a budget of 40 requests a day stops cleanly (exit 4, one
// line), wastes nothing when run again the same day, and resumes after
// midnight Pacific (the emulator's clock moved forward, the plugin's budget
// clock with it) until every file is in the one album exactly once.
#include <chrono>
#include <csignal>

#include "gphotos_cli.hpp"

using namespace photosync;
using namespace photosync::test;

namespace {

// Photos Library API requests (what Google's quota counts): not OAuth.
int api_requests(const json& stats) {
    int n = 0;
    for (const auto& [name, endpoint] : stats["endpoints"].items()) {
        if (name.starts_with("uploads.") || name.starts_with("albums.") ||
            name.starts_with("mediaItems.")) {
            n += endpoint["requests"].get<int>();
        }
    }
    return n;
}

// Moves the emulator's clock just past the next midnight Pacific (UTC-8);
// returns its offset from the real clock in whole seconds.
std::int64_t advance_past_midnight(GphotosFixture& f) {
    using namespace std::chrono;
    auto offset_ms = f.control("GET", "/__emulator/clock")["offset_ms"].get<std::int64_t>();
    auto now = system_clock::now() + milliseconds(offset_ms);
    auto pacific = now - hours(8);
    auto left = duration_cast<seconds>(days(1) - (pacific - floor<days>(pacific)));
    (void)f.control("POST", "/__emulator/clock/advance", {{"seconds", left.count() + 60}});
    return f.control("GET", "/__emulator/clock")["offset_ms"].get<std::int64_t>() / 1000;
}

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("a budget of 40 requests a day: a 100-file sync stops, resumes each day, ends whole") {
    constexpr int kFiles = 100;
    constexpr int kBudget = 40;
    // Upload tokens outlive the clock jumps: only the budget's clock is moved
    // with the emulator's; the engine judges a receipt's age by the real one.
    GphotosFixture f({"--upload-token-ttl", "864000"});
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, kFiles);
    auto sync = [&](std::int64_t clock_offset) {
        return cli.run({"sync", folder.path().string(), "Budget", "--max-requests-per-day",
                        std::to_string(kBudget), "-o",
                        "test_clock_offset=" + std::to_string(clock_offset)});
    };
    const std::string used_up =
        "today's budget of 40 Google Photos requests "
        "(--max-requests-per-day) is used up; nothing is lost: run the "
        "same command again after the reset (the quota resets at "
        "midnight Pacific time, in about ";

    // The plan first: the dry run costs the album lookup (from the same budget).
    auto plan = cli.run({"sync", folder.path().string(), "Budget", "--dry-run",
                         "--max-requests-per-day", std::to_string(kBudget)});
    INFO(plan.out << plan.err);
    CHECK(plan.exit_code == 0);
    CHECK_THAT(plan.out, Catch::Contains(
                             "\n100 files to upload ≈ 104 requests ≈ 3 days at 40 requests/day\n"));
    CHECK(api_requests(f.stats()) == 1);

    reset_stats(f);
    auto first = sync(0);
    INFO(first.out << first.err);
    CHECK(first.exit_code == 4);
    CHECK(count_of(first.err, used_up) == 1);
    auto s = f.stats();
    CHECK(api_requests(s) <= kBudget - 1);
    CHECK(api_requests(s) >= kBudget - 1 - 8);  // only what was in flight is left unspent
    int uploads = upload_requests(s);

    // The same day: refused before a single request.
    reset_stats(f);
    auto again = sync(0);
    INFO(again.out << again.err);
    CHECK(again.exit_code == 4);
    CHECK(count_of(again.err, used_up) == 1);
    CHECK(api_requests(f.stats()) == 0);

    // Each following day spends at most the budget, until the sync completes.
    int day = 1;
    for (; day <= 5; ++day) {
        const bool album_known = !the_album(f, "Budget").empty();
        const auto offset = advance_past_midnight(f);
        reset_stats(f);
        auto r = sync(offset);
        INFO("day " << day + 1 << ": " << r.out << r.err);
        s = f.stats();
        CHECK(api_requests(s) <= kBudget);
        uploads += upload_requests(s);
        if (album_known) {  // the ledger knows the album: no listing of any kind
            CHECK(GphotosFixture::requests(s, "albums.list") == 0);
            CHECK(GphotosFixture::requests(s, "mediaItems.search") == 0);
            CHECK(GphotosFixture::requests(s, "mediaItems.list") == 0);
        }
        if (r.exit_code == 0) {
            CHECK_THAT(r.out, Catch::Contains("files uploaded"));
            break;
        }
        REQUIRE(r.exit_code == 4);
        CHECK(count_of(r.err, used_up) == 1);
    }
    CHECK(day <= 3);           // 105 requests with the dry run's: three days of 40
    CHECK(uploads == kFiles);  // nothing uploaded twice: staged items kept their receipts
    check_each_file_once(f, "Budget", kFiles);
    CHECK(f.control("GET", "/__emulator/albums").size() == 1);

    // A re-run asks for the album by id and nothing else.
    reset_stats(f);
    auto rerun =
        sync(f.control("GET", "/__emulator/clock")["offset_ms"].get<std::int64_t>() / 1000);
    INFO(rerun.out << rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK_THAT(rerun.out, Catch::Contains("100 unchanged"));
    s = f.stats();
    CHECK(api_requests(s) == 1);
    CHECK(GphotosFixture::requests(s, "albums.get") == 1);
}

TEST_CASE("Google's own daily quota (429 'per day') stops the run the same way, then resumes") {
    constexpr int kFiles = 60;
    GphotosFixture f({"--requests-per-day", "30", "--upload-token-ttl", "864000"});
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, kFiles);
    auto sync = [&](std::int64_t clock_offset) {
        return cli.run({"sync", folder.path().string(), "Google quota", "-o",
                        "test_clock_offset=" + std::to_string(clock_offset)});
    };
    auto first = sync(0);
    INFO(first.out << first.err);
    CHECK(first.exit_code == 4);
    CHECK(count_of(first.err, "daily request quota is used up") == 1);
    CHECK_THAT(first.err, Catch::Contains("nothing is lost: run the same command again later"));

    int day = 1;
    for (; day <= 4; ++day) {
        auto r = sync(advance_past_midnight(f));
        INFO("day " << day + 1 << ": " << r.out << r.err);
        if (r.exit_code == 0) {
            break;
        }
        REQUIRE(r.exit_code == 4);
    }
    CHECK(day <= 3);
    check_each_file_once(f, "Google quota", kFiles);
    CHECK(f.control("GET", "/__emulator/albums").size() == 1);
}

// The default budget is reserved 16 requests at a time (one lock and file
// write per block): what a run did not spend goes back when it ends, so
// the day's count is what was sent; a run killed outright leaves at most its
// one unspent block counted (the budget ends early, never late).
TEST_CASE("the day's request count is what was sent: unspent reserved requests go back") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 37);
    const auto count_file =
        cli.home / "state" / "photosync" / "plugins" / "gphotos" / "requests-today.json";
    auto counted = [&] { return json::parse(read_file(count_file))["requests"].get<int>(); };
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Counted"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const int sent = api_requests(f.stats());
    CHECK(sent >= 37 + 1);  // 37 uploads, a batchCreate, the album
    CHECK(counted() == sent);

    // Killed in the middle of its uploads: its unspent block stays counted,
    // and so do the requests it had taken but not yet sent (8 uploads at once).
    photos(folder.path(), 100, 180);
    reset_stats(f);
    f.inject({{"kind", "latency"}, {"endpoint", "uploads"}, {"latency_ms", 30}});
    ProcessOptions o;
    o.kill_when = [&](const ProcessResult&) { return upload_requests(f.stats()) >= 20; };
    auto killed = cli.run({"sync", folder.path().string(), "Counted"}, {}, o);
    INFO(killed.out << killed.err);
    CHECK(killed.exit_code == 128 + SIGKILL);
    const int sent_before_kill = api_requests(f.stats());
    const int extra = counted() - sent - sent_before_kill;
    CHECK(extra >= 0);
    CHECK(extra <= 16 + 8);
}

// A big run's scan waits on its uploads, so its count of what to upload is
// complete only near the end. The look ahead (a second listing that only
// counts) gives the plan line near the start instead.
TEST_CASE("a live run says what it will cost near its start, not when its scan ends") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 300);
    f.inject({{"kind", "latency"}, {"endpoint", "uploads"}, {"latency_ms", 25}});
    const std::string line = "300 files to upload ≈ 308 requests ≈ 1 day at 400 requests/day";
    std::optional<int> uploads_when_said;
    ProcessOptions o;
    o.terminate_when = [&](const ProcessResult& so_far) {
        if (!uploads_when_said && so_far.err.find(line) != std::string::npos) {
            uploads_when_said = upload_requests(f.stats());
        }
        return false;
    };
    reset_stats(f);
    auto r = cli.run(
        {"sync", folder.path().string(), "Early", "--max-requests-per-day", "400", "-j", "2"}, {},
        o);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(count_of(r.err, line) == 1);
    REQUIRE(uploads_when_said.has_value());
    CHECK(*uploads_when_said < 150);  // 300 uploads, 2 at a time: said in the first half
    check_each_file_once(f, "Early", 300);
}
