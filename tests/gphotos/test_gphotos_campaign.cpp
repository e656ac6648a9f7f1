// Reliability campaigns against the emulator (issue 10), shortened for CI:
//   PHOTOSYNC_CAMPAIGN_KILLS   kills of the kill campaign (CI: 12; the full run: 100)
//   PHOTOSYNC_CAMPAIGN_FILES   files of the kill campaign (1,000)
//   PHOTOSYNC_CAMPAIGN_SEED    the random kill moments (fixed, so a failure replays)
// tools/campaign runs them in full (100 kills).
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <random>

#include "gphotos_cli.hpp"

using namespace photosync;
using namespace photosync::test;

namespace {

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

}  // namespace

// Kill -9 at random moments of a 1,000-file sync, resume until done; then the
// emulator's album holds every file exactly once and the account nothing else.
TEST_CASE("kill campaign: SIGKILL at random moments, resumed until done, nothing lost or doubled",
          "[campaign][concurrency]") {
    const int kills_wanted = env_int("PHOTOSYNC_CAMPAIGN_KILLS", 12);
    const int files = env_int("PHOTOSYNC_CAMPAIGN_FILES", 1000);
    std::mt19937 rng(static_cast<unsigned>(env_int("PHOTOSYNC_CAMPAIGN_SEED", 20261124)));
    GphotosFixture f;
    // 100 kills of 1,000 files spend more than a day's default budget of requests.
    f.config.options["max_requests_per_day"] = "0";
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 1000, 1000 + files);
    const std::vector<std::string> sync{"sync", folder.path().string(), "Campaign", "--jobs", "8"};

    // Kills are spread over about a run's length (learnt when a run beats its kill).
    int kills = 0, completed = 0;
    auto span_ms = 1500;
    while (kills < kills_wanted) {
        ProcessOptions o;
        o.kill_after = std::chrono::milliseconds(20 + rng() % static_cast<unsigned>(span_ms));
        const auto start = std::chrono::steady_clock::now();
        auto r = cli.run(sync, {}, o);
        INFO(r.out << r.err);
        if (r.exit_code == 128 + SIGKILL) {
            ++kills;
        } else {
            REQUIRE(r.exit_code == 0);
            ++completed;
            // The run beat its kill: the album must be whole. Then start over
            // (fresh album, fresh ledger) with kills spread over a run's length.
            check_each_file_once(f, "Campaign", files);
            (void)f.control("POST", "/__emulator/reset",
                            {{"store", true}, {"stats", true}, {"oauth", false}});
            for (const char* name : {"photosync.db", "photosync.db-wal", "photosync.db-shm"}) {
                std::filesystem::remove(cli.home / "state" / "photosync" / name);
            }
            span_ms = std::max(
                100, static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - start)
                                          .count()));
        }
    }
    // Then one run without a kill finishes the job.
    auto last = cli.run(sync);
    INFO(last.out << last.err);
    REQUIRE(last.exit_code == 0);
    check_each_file_once(f, "Campaign", files);
    WARN("kill campaign: " << kills << " kills (" << completed
                           << " runs beat their kill and were checked whole), then one "
                              "completing run; duplicates 0, missing 0 of "
                           << files << " files");
}

// Every fault at once: 10% 503s on every endpoint, a burst of 429s, uploads
// cut mid-body, lost batchCreate replies, and a 1 MB/s cap on upload bytes.
// The sync (re-run while it reports failed items, as cron would) ends with
// every file in the album exactly once.
//   PHOTOSYNC_SOAK_FILES   files (CI: 300; the full run: 2,000)
TEST_CASE(
    "fault soak: 503s, 429 bursts, cut uploads, lost replies, 1 MB/s: nothing lost or doubled",
    "[campaign][concurrency]") {
    const int files = env_int("PHOTOSYNC_SOAK_FILES", 300);
    GphotosFixture f({"--fault-seed", "7", "--bandwidth-limit", "1000000"});
    Cli cli(f);
    cli.login();  // before the faults: signing in is not what this soaks
    f.inject({{"rules",
               {{{"kind", "error"}, {"status", 503}, {"endpoint", "*"}, {"rate", 0.1}},
                {{"kind", "error"},
                 {"status", 429},
                 {"endpoint", "uploads"},
                 {"count", 4},
                 {"skip", files / 3}},
                {{"kind", "drop_mid_upload"},
                 {"endpoint", "uploads"},
                 {"after_bytes", 1500},
                 {"rate", 0.05}},
                // Counted, not rated: a short run has few batchCreate calls.
                {{"kind", "drop_before_reply"},
                 {"endpoint", "batchCreate"},
                 {"skip", 1},
                 {"count", std::max(2, files / 250)}}}}});
    TempDir folder;
    photos(folder.path(), 1000, 1000 + files);
    const std::vector<std::string> sync{"sync", folder.path().string(), "Soak", "--jobs", "8"};
    int runs = 0;
    ProcessResult r;
    do {
        r = cli.run(sync);
        ++runs;
        INFO("run " << runs << ": " << r.out << r.err);
        REQUIRE((r.exit_code == 0 || r.exit_code == 1));  // 1: some items to retry next run
    } while (r.exit_code != 0 && runs < 4);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    auto faults = f.control("GET", "/__emulator/faults");
    int fired = 0;
    for (const auto& rule : faults["rules"]) {
        INFO(rule.dump());
        CHECK(rule["fired"].get<int>() > 0);  // every kind of fault happened
        fired += rule["fired"].get<int>();
    }
    (void)f.control("DELETE", "/__emulator/faults");
    check_each_file_once(f, "Soak", files);
    WARN("fault soak: " << files << " files, " << fired << " faults fired, " << runs
                        << " runs; duplicates 0, missing 0");
}
