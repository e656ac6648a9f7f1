// Duplicate albums never (issue 11): an album is remembered by its id once
// created, and two runs for one album at once (cron overlap) are serialised
// by the lock on the state store, with a clear line for the one that waits.
#include <future>

#include "gphotos_cli.hpp"
#include "one_line.hpp"

using namespace photosync;
using namespace photosync::test;

namespace {

int albums_titled(GphotosFixture& f, const std::string& title) {
    int n = 0;
    for (const auto& a : f.control("GET", "/__emulator/albums")) {
        n += a["title"] == title ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("two syncs of one album started at once: one album, each file once, one clear line") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 60);
    // Slow uploads: the first run is still going when the second starts.
    f.inject({{"kind", "latency"}, {"endpoint", "uploads"}, {"latency_ms", 40}});
    const std::vector<std::string> args{"sync", folder.path().string(), "Cron"};
    auto a = std::async(std::launch::async, [&] { return cli.run(args); });
    auto b = std::async(std::launch::async, [&] { return cli.run(args); });
    auto ra = a.get();
    auto rb = b.get();
    INFO(ra.out << ra.err << "\n---\n" << rb.out << rb.err);
    const auto& winner = ra.exit_code == 0 ? ra : rb;
    const auto& waiter = ra.exit_code == 0 ? rb : ra;
    CHECK(winner.exit_code == 0);
    CHECK(waiter.exit_code == 2);
    check_one_line(waiter.err, "another photosync run");
    CHECK_THAT(waiter.err, Catch::Contains("wait for it to finish, then run again"));
    CHECK(albums_titled(f, "Cron") == 1);
    check_each_file_once(f, "Cron", 60);

    // The next cron run has nothing left to do.
    reset_stats(f);
    auto next = cli.run(args);
    CHECK(next.exit_code == 0);
    CHECK(upload_requests(f.stats()) == 0);
    CHECK(albums_titled(f, "Cron") == 1);
}

TEST_CASE("an album is remembered by its id: a same-titled album made later is left alone") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 5);
    REQUIRE(cli.run({"sync", folder.path().string(), "Trip"}).exit_code == 0);
    auto ours = the_album(f, "Trip")["id"].get<std::string>();
    // Someone makes another album of the same title (in the Google Photos app).
    f.control("POST", "/__emulator/albums", {{"title", "Trip"}, {"appCreated", false}});

    photos(folder.path(), 5, 8);
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Trip"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(GphotosFixture::requests(f.stats(), "albums.list") == 0);
    CHECK(GphotosFixture::requests(f.stats(), "albums.create") == 0);
    CHECK(albums_titled(f, "Trip") == 2);  // ours and theirs, no third
    for (const auto& album : f.control("GET", "/__emulator/albums")) {
        if (album["id"] == ours) {
            CHECK(album["mediaItemIds"].size() == 8);
        } else {
            CHECK(album["mediaItemIds"].empty());
        }
    }
}
