// `photosync auth login` and `photosync sync FOLDER ALBUM` end to end: the
// real CLI as a subprocess, Google Photos as the default destination, the
// emulator behind it over verified HTTPS, a shell script as the browser.
#include "gphotos_cli.hpp"

using namespace photosync;
using namespace photosync::test;

TEST_CASE("auth login, status and logout from the CLI with a browser script") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    auto cred = cli.home / "state" / "photosync" / "plugins" / "gphotos" / "credentials.json";
    CHECK(mode_of(cred) == 0600);
    auto status = cli.run({"auth", "status"});
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("signed in"));
    auto out = cli.run({"auth", "logout"});
    CHECK(out.exit_code == 0);
    CHECK_FALSE(std::filesystem::exists(cred));
    auto after = cli.run({"auth", "status"});
    CHECK(after.exit_code == 3);
    f.check_no_secrets(status.out + status.err + out.out + out.err);
}

TEST_CASE("sync: 120 photos in 3 sequential batchCreate calls, per-item failures, album reused",
          "[concurrency]") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 120);
    write_media(folder / "notes.mmv", Fake::text, 500, 1);   // passes the source, not Google
    write_media(folder / "broken.jpg", Fake::text, 500, 2);  // refused by the source
    reset_stats(f);

    auto r = cli.run({"sync", folder.path().string(), "Summer 2026", "--jobs", "8"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);  // the run ended; some items failed
    CHECK_THAT(r.out + r.err, Catch::Contains("notes.mmv") && Catch::Contains("broken.jpg"));
    f.check_no_secrets(r.out + r.err);

    auto s = f.stats();
    CHECK(GphotosFixture::requests(s, "uploads.raw") == 121);  // one request per small file
    CHECK(GphotosFixture::requests(s, "mediaItems.batchCreate") == 3);  // ceil(121/50)
    CHECK(s["max_concurrent_batch_create"] == 1);
    CHECK(GphotosFixture::requests(s, "albums.create") == 1);

    auto albums = f.control("GET", "/__emulator/albums");
    REQUIRE(albums.size() == 1);
    CHECK(albums[0]["title"] == "Summer 2026");
    auto names = album_file_names(f, albums[0]);
    REQUIRE(names.size() == 120);
    CHECK(std::is_sorted(names.begin(), names.end()));  // the scan order, deterministic
    CHECK(names.front() == "img_000.jpg");

    // A fresh ledger (another machine, say) finds the album by its title.
    TempDir other_state;
    cli.login(other_state.path());
    photos(folder.path(), 120, 125);
    reset_stats(f);
    auto again = cli.run({"sync", folder.path().string(), "Summer 2026"}, other_state.path());
    INFO(again.out << again.err);
    auto s2 = f.stats();
    CHECK(GphotosFixture::requests(s2, "albums.create") == 0);
    CHECK(GphotosFixture::requests(s2, "albums.list") >= 1);
    albums = f.control("GET", "/__emulator/albums");
    REQUIRE(albums.size() == 1);
    CHECK(albums[0]["mediaItemIds"].size() >= 125);
}

TEST_CASE("sync retries a 5xx on upload and on the album lookup, and a 429 after a pause") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 4);
    f.inject({{"kind", "error"}, {"status", 503}, {"endpoint", "uploads.raw"}, {"count", 1}});
    f.inject({{"kind", "error"}, {"status", 500}, {"endpoint", "albums.list"}, {"count", 1}});
    f.inject(
        {{"kind", "error"}, {"status", 429}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    auto start = std::chrono::steady_clock::now();
    auto r = cli.run({"sync", folder.path().string(), "Retries", "-vv"});
    auto took = std::chrono::steady_clock::now() - start;
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Catch::Contains("retry"));  // every retry is logged at debug level
    f.check_no_secrets(r.out + r.err);
    auto s = f.stats();
    CHECK(GphotosFixture::with_status(s, "uploads.raw", "503") == 1);
    CHECK(GphotosFixture::with_status(s, "albums.list", "500") == 1);
    CHECK(GphotosFixture::with_status(s, "mediaItems.batchCreate", "429") == 1);
    CHECK(GphotosFixture::with_status(s, "mediaItems.batchCreate", "200") == 1);
    CHECK(took >= std::chrono::seconds(30));  // 429: at least 30 s before trying again
    auto albums = f.control("GET", "/__emulator/albums");
    REQUIRE(albums.size() == 1);
    CHECK(albums[0]["mediaItemIds"].size() == 4);
}

TEST_CASE("sync stops cleanly at the daily quota with exit code 4 and says when to resume") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 10);
    // Enough for the album lookup and a few uploads, not for everything.
    f.control("POST", "/__emulator/quotas", {{"requests_per_day", 5}, {"reset_counters", true}});
    auto r = cli.run({"sync", folder.path().string(), "Quota"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.out + r.err, Catch::Contains("quota") && Catch::Contains("again later"));
}
