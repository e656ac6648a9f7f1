// A watch job through the REST API ("watch": true): it runs until cancelled,
// uploads files as they appear (once settled), reports each sync as a "watch"
// event and in its own "watching" block, and ends with the server.
#include <catch2/catch.hpp>
#include <thread>

#include "server_fixture.hpp"

using namespace photosync::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Polls the job until `done` holds for it.
json wait_until(const ServerFixture& f, std::uint64_t id,
                const std::function<bool(const json&)>& done,
                std::chrono::milliseconds timeout = 30s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto c = f.client();
    for (;;) {
        auto j = c.get("/api/jobs/" + std::to_string(id)).json();
        if (done(j)) {
            return j;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            FAIL("job " << id << " never got there: " << j.dump());
        }
        std::this_thread::sleep_for(50ms);
    }
}

}  // namespace

TEST_CASE("a REST watch job uploads new files as they appear until it is cancelled",
          "[concurrency]") {
    ServerFixture f;
    auto photos = f.make_photos("Live", 3);
    auto album = f.dir / "albums" / "Live";
    SseReader stream(f.port(), f.server->token(), "/api/events");
    REQUIRE(stream.status() == 200);
    auto c = f.client();
    auto created = c.post("/api/jobs", {{"folder", photos.string()},
                                        {"album", "Live"},
                                        {"watch", true},
                                        {"settle_ms", 200},
                                        {"bwlimit", "64M"}});
    REQUIRE(created.status == 201);
    auto job = created.json();
    INFO(job.dump());
    auto id = job["id"].get<std::uint64_t>();
    CHECK(job["watch"] == true);
    CHECK(job["state"] == "running");
    CHECK(job["bwlimit"] == "64M");
    REQUIRE(job["watching"].is_object());
    CHECK(job["watching"]["settle_ms"] == 200);

    // The catch-up sync takes what is there already.
    auto first = wait_until(f, id, [](const json& j) {
        return j["watching"]["files_uploaded"] == 3 && j["watching"]["syncing"] == false;
    });
    CHECK(first["state"] == "running");
    CHECK(first["finished_at"].is_null());
    CHECK(first["watching"]["last_sync"]["state"] == "succeeded");
    CHECK(album_contents(album) == source_by_name(photos));

    // Files that appear while it runs follow, each once.
    write_media(photos / "new" / "A.jpg", Fake::jpeg, 30000, 7);
    write_media(photos / "B.png", Fake::png, 25000, 8);
    auto second = wait_until(f, id, [](const json& j) {
        return j["watching"]["files_uploaded"] == 5 && j["watching"]["syncing"] == false;
    });
    CHECK(second["state"] == "running");
    CHECK(second["watching"]["syncs"].get<int>() >= 2);
    CHECK(album_contents(album) == source_by_name(photos));

    // Each sync is on the event stream under the watch's id.
    REQUIRE(stream.read_until(
        [&](const SseEvent& e) {
            return e.type == "item_added" && e.json()["job"] == id &&
                   e.json()["path"].get<std::string>().find("B.png") != std::string::npos;
        },
        10s));
    // The job is announced before anything of its watch or its syncs.
    for (const auto& e : stream.events()) {
        if (e.type == "snapshot") {
            continue;
        }
        auto j = e.json();
        if (j.value("id", json()) == id || j.value("job", json()) == id) {
            CHECK(e.type == "job");
            break;
        }
    }
    int syncs_finished = 0;
    for (const auto& e : stream.events()) {
        if (e.type == "watch") {
            CHECK(e.json()["job"] == id);
            syncs_finished += e.json()["watch"] == "sync_finished" ? 1 : 0;
        }
    }
    CHECK(syncs_finished >= 1);

    // DELETE ends it; a file that appears afterwards stays where it is.
    auto del = c.request("DELETE", "/api/jobs/" + std::to_string(id));
    CHECK(del.status == 202);
    auto done = f.wait_job(id);
    CHECK(done["state"] == "cancelled");
    CHECK(done["watching"]["files_uploaded"] == 5);
    CHECK(done["error"].is_null());
    write_media(photos / "late.jpg", Fake::jpeg, 20000, 9);
    std::this_thread::sleep_for(600ms);
    CHECK(album_contents(album).size() == 5);
}

TEST_CASE("a watch job's request is checked, and a server stopping ends its watches",
          "[concurrency]") {
    ServerFixture f;
    auto photos = f.make_photos("W", 2);
    auto c = f.client();
    auto post = [&](json extra) {
        json body{{"folder", photos.string()}, {"album", "W"}};
        body.update(extra);
        return c.post("/api/jobs", body);
    };
    CHECK(post({{"watch", "yes"}}).status == 400);
    CHECK(post({{"settle_ms", 100}}).status == 400);  // without "watch"
    CHECK(post({{"watch", true}, {"settle_ms", -1}}).status == 400);
    auto dry = post({{"watch", true}, {"dry_run", true}});
    CHECK(dry.status == 400);
    CHECK_THAT(dry.json()["error"]["message"].get<std::string>(), Catch::Contains("watch"));
    auto missing = c.post(
        "/api/jobs", {{"folder", (f.dir / "nowhere").string()}, {"album", "W"}, {"watch", true}});
    CHECK(missing.status >= 400);
    CHECK(missing.status < 500);

    auto created = post({{"watch", true}, {"settle_ms", 100}});
    REQUIRE(created.status == 201);
    auto id = created.json()["id"].get<std::uint64_t>();
    wait_until(f, id, [](const json& j) { return j["watching"]["files_uploaded"] == 2; });
    // The server's stop cancels the watch and waits for it (no hang, no leak).
    auto t0 = std::chrono::steady_clock::now();
    f.server.reset();
    CHECK(std::chrono::steady_clock::now() - t0 < 10s);
}
