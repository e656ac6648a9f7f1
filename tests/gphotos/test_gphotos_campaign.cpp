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
          "[campaign]") {
    const int kills_wanted = env_int("PHOTOSYNC_CAMPAIGN_KILLS", 12);
    const int files = env_int("PHOTOSYNC_CAMPAIGN_FILES", 1000);
    std::mt19937 rng(static_cast<unsigned>(env_int("PHOTOSYNC_CAMPAIGN_SEED", 20261124)));
    GphotosFixture f;
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
            span_ms = std::max(100, static_cast<int>(
                                        std::chrono::duration_cast<std::chrono::milliseconds>(
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
