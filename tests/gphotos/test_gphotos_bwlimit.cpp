// --bwlimit end to end: the real CLI uploads into the emulator over HTTPS and
// the wall-clock time shows the limit held across concurrent uploads.
#include <chrono>
#include <ctime>

#include "gphotos_cli.hpp"
#include "one_line.hpp"

using namespace photosync;
using namespace photosync::test;

namespace {

// "HH:MM" of `minute` of the UTC day (the child runs with TZ=UTC).
std::string hhmm(int minute) {
    minute = ((minute % 1440) + 1440) % 1440;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
    return buf;
}

int utc_minute_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

}  // namespace

TEST_CASE("sync --bwlimit: 8 MiB at 2M over 4 concurrent uploads takes about 4 s, and all arrive",
          "[concurrency]") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    constexpr int kFiles = 8;
    constexpr std::size_t kSize = 1024 * 1024;
    for (int i = 0; i < kFiles; ++i) {
        write_media(folder / ("big_" + std::to_string(i) + ".jpg"), Fake::jpeg, kSize, 100 + i);
    }
    // A schedule by the time of day: 2M now, off an hour ago and in an hour
    // (the limit of the latest entry at or before now applies).
    int now = utc_minute_now();
    std::string schedule =
        hhmm(now - 60) + ",off " + hhmm(now - 1) + ",2M " + hhmm(now + 60) + ",off";
    ProcessOptions o;
    o.env["TZ"] = "UTC";
    auto start = std::chrono::steady_clock::now();
    auto r = cli.run(
        {"sync", folder.path().string(), "Throttled", "--jobs", "4", "--bwlimit", schedule}, {}, o);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(schedule << "\n" << r.out << r.err << "\nelapsed " << seconds << " s");
    REQUIRE(r.exit_code == 0);
    check_each_file_once(f, "Throttled", kFiles);
    // 8 MiB at 2 MiB/s is 4 s; the bucket lets a tenth of a second through at
    // once. Loopback without a limit takes well under a second.
    double ideal = static_cast<double>(kFiles * kSize) / (2.0 * 1024 * 1024);
    CHECK(seconds >= 0.9 * ideal);
    CHECK(seconds <= 4 * ideal);  // generous: a loaded 2-core CI
}

TEST_CASE("sync --bwlimit: a bad rate, on the command line or in the config, is one line, exit 2") {
    GphotosFixture f;
    Cli cli(f);
    TempDir folder;
    photos(folder.path(), 0, 1);
    auto r = cli.run({"sync", folder.path().string(), "Album", "--bwlimit", "fast"});
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "bad bandwidth limit 'fast': expected 'off', a rate such as 512k, 2M");
    auto s = cli.run({"sync", folder.path().string(), "Album", "--bwlimit", "08:00,1M 25:00,off"});
    CHECK(s.exit_code == 2);
    check_one_line(s.err, "bad bandwidth limit '08:00,1M 25:00,off' ('25:00' is not a time HH:MM)");

    auto config = cli.home / "config.toml";
    std::ofstream(config) << "[defaults]\njobs = 4\nbwlimit = \"2X\"\n";
    auto c = cli.run({"sync", folder.path().string(), "Album", "--config", config.string()});
    CHECK(c.exit_code == 2);
    check_one_line(c.err, "config " + config.string() + ":3: bad bandwidth limit '2X'");
    CHECK(f.control("GET", "/__emulator/albums").empty());  // nothing was sent
}
