// The REST API over real sockets: jobs run to completion into the folder
// destination, concurrently, can be cancelled; albums and plugins are listed.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "server_fixture.hpp"

using namespace photosync::test;
using nlohmann::json;

TEST_CASE("POST /api/jobs runs a sync to completion and the album holds the files byte for byte") {
    ServerFixture f;
    auto photos = f.make_photos("Trip", 12);
    auto out = f.dir / "albums";
    auto c = f.client();

    auto created = c.post("/api/jobs", {{"folder", photos.string()},
                                        {"album", "Trip"},
                                        {"to", "folder:" + out.string()},
                                        {"jobs", 4}});
    REQUIRE(created.status == 201);
    auto job = created.json();
    REQUIRE(job["id"].is_number_unsigned());
    auto id = job["id"].get<std::uint64_t>();
    CHECK(created.header("location") == "/api/jobs/" + std::to_string(id));
    CHECK(job["album"] == "Trip");
    CHECK(job["folder"] == photos.string());
    CHECK(job["to"] == "folder:" + out.string());
    CHECK(job["jobs"] == 4);

    auto done = f.wait_job(id);
    CHECK(done["state"] == "succeeded");
    CHECK(done["counters"]["files_found"] == 12);
    CHECK(done["counters"]["files_done"] == 12);
    CHECK(done["counters"]["files_failed"] == 0);
    CHECK(done["progress"]["percent"] == 100.0);
    CHECK(done["failures"].empty());
    CHECK(done["album_ready"] == true);
    CHECK(album_contents(out / "Trip") == source_by_name(photos));

    auto listed = c.get("/api/jobs");
    REQUIRE(listed.status == 200);
    REQUIRE(listed.json()["jobs"].size() == 1);
    CHECK(listed.json()["jobs"][0]["id"] == id);

    // The ledger knows the album now.
    auto albums = c.get("/api/albums");
    REQUIRE(albums.status == 200);
    REQUIRE(albums.json()["albums"].size() == 1);
    CHECK(albums.json()["albums"][0]["album"] == "Trip");
    CHECK(albums.json()["albums"][0]["committed"] == 12);
    CHECK(albums.json()["albums"][0]["last_run"]["state"] == "succeeded");
    CHECK(c.get("/api/albums?album=Nope").json()["albums"].empty());
    CHECK(c.get("/api/albums?album=Trip").json()["albums"].size() == 1);

    // A re-run uploads nothing: everything is unchanged.
    auto again = c.post("/api/jobs", {{"folder", photos.string()}, {"album", "Trip"}});
    REQUIRE(again.status == 201);
    auto rerun = f.wait_job(again.json()["id"].get<std::uint64_t>());
    CHECK(rerun["state"] == "succeeded");
    CHECK(rerun["to"] == "folder:" + out.string());  // the server's default destination
    CHECK(rerun["counters"]["files_unchanged"] == 12);
    CHECK(rerun["counters"]["files_done"] == 0);
}

TEST_CASE("two jobs run at once on the one executor and both finish correctly", "[concurrency]") {
    ServerFixture f;
    auto a = f.make_photos("A", 30, 60000, 1);
    auto b = f.make_photos("B", 25, 60000, 2);
    auto out = f.dir / "albums";
    auto c = f.client();
    auto ra = c.post("/api/jobs", {{"folder", a.string()}, {"album", "Alpha"}, {"jobs", 2}});
    auto rb = c.post("/api/jobs", {{"folder", b.string()}, {"album", "Beta"}, {"jobs", 2}});
    REQUIRE(ra.status == 201);
    REQUIRE(rb.status == 201);
    auto ia = ra.json()["id"].get<std::uint64_t>();
    auto ib = rb.json()["id"].get<std::uint64_t>();
    CHECK(ia != ib);
    // Both are listed while (at least one is) running.
    CHECK(c.get("/api/jobs").json()["jobs"].size() == 2);
    auto ja = f.wait_job(ia);
    auto jb = f.wait_job(ib);
    CHECK(ja["state"] == "succeeded");
    CHECK(jb["state"] == "succeeded");
    CHECK(ja["counters"]["files_done"] == 30);
    CHECK(jb["counters"]["files_done"] == 25);
    CHECK(album_contents(out / "Alpha") == source_by_name(a));
    CHECK(album_contents(out / "Beta") == source_by_name(b));
}

TEST_CASE("a running job is cancelled with POST /cancel or DELETE", "[concurrency]") {
    ServerFixture f;
    auto photos = f.make_photos("Big", 150, 400000);
    auto c = f.client();
    auto created =
        c.post("/api/jobs", {{"folder", photos.string()}, {"album", "Big"}, {"jobs", 1}});
    REQUIRE(created.status == 201);
    auto id = created.json()["id"].get<std::uint64_t>();
    std::string path = "/api/jobs/" + std::to_string(id);
    SECTION("POST /cancel") {
        auto r = c.request("POST", path + "/cancel");
        CHECK(r.status == 202);
        CHECK(r.json()["cancel_requested"] == true);
    }
    SECTION("DELETE") {
        auto r = c.request("DELETE", path);
        CHECK(r.status == 202);
    }
    auto done = f.wait_job(id);
    CHECK(done["state"] == "cancelled");
    CHECK(done["counters"]["files_done"].get<int>() < 150);
    // Cancelling a finished job changes nothing.
    auto late = c.request("POST", path + "/cancel");
    CHECK(late.status == 200);
    CHECK(late.json()["state"] == "cancelled");
}

TEST_CASE("a second job for an album still syncing gets 409 conflict, and 201 once it ends",
          "[concurrency]") {
    ServerFixture f;
    auto photos = f.make_photos("Busy", 150, 400000);
    auto c = f.client();
    const json spec{{"folder", photos.string()}, {"album", "Busy"}, {"jobs", 1}};
    auto first = c.post("/api/jobs", spec);
    REQUIRE(first.status == 201);
    auto second = c.post("/api/jobs", spec);
    CHECK(second.status == 409);
    CHECK(second.json()["error"]["kind"] == "conflict");
    CHECK_THAT(second.json()["error"]["message"].get<std::string>(),
               Catch::Contains("another photosync run") && Catch::Contains("Busy"));
    CHECK(c.get("/api/jobs").json()["jobs"].size() == 1);  // the refused one is not a job
    auto id = first.json()["id"].get<std::uint64_t>();
    CHECK(f.wait_job(id)["state"] == "succeeded");
    auto third = c.post("/api/jobs", spec);
    CHECK(third.status == 201);
    CHECK(f.wait_job(third.json()["id"].get<std::uint64_t>())["state"] == "succeeded");
}

TEST_CASE("per-item failures show on the job while it runs and at the end") {
    ServerFixture f;
    auto photos = f.make_photos("Mixed", 4);
    write_media(photos / "broken.jpg", Fake::text, 5000, 9);  // not really a JPEG
    auto c = f.client();
    auto created = c.post("/api/jobs", {{"folder", photos.string()}, {"album", "Mixed"}});
    REQUIRE(created.status == 201);
    auto done = f.wait_job(created.json()["id"].get<std::uint64_t>());
    CHECK(done["state"] == "partially_failed");
    CHECK(done["counters"]["files_done"] == 4);
    CHECK(done["failures_total"] == 1);
    REQUIRE(done["failures"].size() == 1);
    CHECK(done["failures"][0]["path"] == "broken.jpg");
    CHECK(done["failures"][0]["kind"] == "invalid_input");
    CHECK_FALSE(done["failures"][0]["message"].get<std::string>().empty());
    CHECK(done["progress"]["percent"] == 100.0);
}

TEST_CASE("a dry run reports what would be uploaded and changes nothing") {
    ServerFixture f;
    auto photos = f.make_photos("Dry", 5);
    auto c = f.client();
    auto created = c.post("/api/jobs", {{"folder", photos.string()},
                                        {"album", "Dry"},
                                        {"dry_run", true},
                                        {"include", json::array({"*.jpg", "*.png"})}});
    REQUIRE(created.status == 201);
    auto done = f.wait_job(created.json()["id"].get<std::uint64_t>());
    CHECK(done["state"] == "succeeded");
    CHECK(done["dry_run"] == true);
    CHECK(done["counters"]["files_found"] == 4);  // 2 jpg + 2 png of 5
    CHECK_FALSE(std::filesystem::exists(f.dir / "albums" / "Dry"));
}

TEST_CASE("a job's bwlimit holds its uploads to that rate") {
    ServerFixture f;
    auto photos = f.make_photos("Slow", 4, 512 * 1024);  // 2 MiB
    auto c = f.client();
    auto start = std::chrono::steady_clock::now();
    auto created =
        c.post("/api/jobs",
               {{"folder", photos.string()}, {"album", "Slow"}, {"jobs", 4}, {"bwlimit", "2M"}});
    REQUIRE(created.status == 201);
    auto done = f.wait_job(created.json()["id"].get<std::uint64_t>());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(done.dump() << "\nelapsed " << seconds << " s");
    CHECK(done["state"] == "succeeded");
    CHECK(done["counters"]["files_done"] == 4);
    // 2 MiB at 2 MiB/s: 1 s, less the bucket's tenth of a second.
    CHECK(seconds >= 0.85);
    CHECK(seconds <= 10);
}

TEST_CASE("GET /api/plugins and /api/server describe what the server can do") {
    ServerFixture f;
    auto c = f.client();
    auto plugins = c.get("/api/plugins");
    REQUIRE(plugins.status == 200);
    std::set<std::string> names;
    auto listed = plugins.json();
    for (const auto& p : listed["plugins"]) {
        names.insert(p["name"].get<std::string>());
        CHECK(p.contains("kind"));
        CHECK(p["options"].is_array());
    }
    CHECK(names.contains("local"));
    CHECK(names.contains("folder"));
    auto info = c.get("/api/server");
    REQUIRE(info.status == 200);
    CHECK(info.json()["allowed_roots"][0] == std::filesystem::canonical(f.dir.path()).string());
    CHECK(info.json()["limits"]["body_bytes"] == 1024 * 1024);
}

TEST_CASE("a REST job's move_to moves what was added, within the allowed roots only") {
    ServerFixture f;
    auto photos = f.make_photos("Keep", 5);
    auto before = source_by_name(photos);
    auto moved = f.dir / "moved";
    auto c = f.client();
    auto created = c.post(
        "/api/jobs", {{"folder", photos.string()}, {"album", "Keep"}, {"move_to", moved.string()}});
    REQUIRE(created.status == 201);
    auto done = f.wait_job(created.json()["id"].get<std::uint64_t>());
    INFO(done.dump());
    CHECK(done["state"] == "succeeded");
    CHECK(done["counters"]["files_done"] == 5);
    CHECK(done["counters"]["files_moved"] == 5);
    CHECK(source_by_name(photos).empty());
    CHECK(source_by_name(moved) == before);
    CHECK(album_contents(f.dir / "albums" / "Keep") == before);

    auto outside = c.post(
        "/api/jobs",
        {{"folder", photos.string()}, {"album", "Keep"}, {"move_to", "/nonexistent/elsewhere"}});
    CHECK(outside.status == 403);
    auto not_bool =
        c.post("/api/jobs",
               {{"folder", photos.string()}, {"album", "Keep"}, {"delete_after_upload", "yes"}});
    CHECK(not_bool.status == 400);
    auto both = c.post("/api/jobs", {{"folder", photos.string()},
                                     {"album", "Keep"},
                                     {"move_to", moved.string()},
                                     {"delete_after_upload", true}});
    CHECK(both.status == 400);
}
