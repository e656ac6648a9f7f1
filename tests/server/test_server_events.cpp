// GET /api/events: the Server-Sent Events stream of job events and progress.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"

using namespace photosync::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

bool is_final_job_event(const SseEvent& e, std::uint64_t id) {
    if (e.type != "job") {
        return false;
    }
    auto j = e.json();
    return j["id"] == id && !j["finished_at"].is_null();
}

}  // namespace

TEST_CASE("the event stream starts with a snapshot and delivers a job's events in order",
          "[concurrency]") {
    ServerFixture f;
    auto photos = f.make_photos("Live", 6);
    SseReader stream(f.port(), f.server->token(), "/api/events");
    REQUIRE(stream.status() == 200);
    REQUIRE(stream.read_until([](const SseEvent& e) { return e.type == "snapshot"; }, 5s));
    CHECK(stream.events().front().type == "snapshot");
    CHECK(stream.events().front().json()["jobs"].empty());

    auto created = f.client().post("/api/jobs", {{"folder", photos.string()}, {"album", "Live"}});
    REQUIRE(created.status == 201);
    auto id = created.json()["id"].get<std::uint64_t>();
    REQUIRE(stream.read_until([&](const SseEvent& e) { return is_final_job_event(e, id); }, 30s));

    std::vector<std::string> types;
    std::uint64_t last_id = 0;
    int uploaded = 0, added = 0;
    for (const auto& e : stream.events()) {
        types.push_back(e.type);
        auto seq = std::stoull(e.id);
        CHECK(seq >= last_id);  // numbered in order
        last_id = seq;
        uploaded += e.type == "item_uploaded" ? 1 : 0;
        added += e.type == "item_added" ? 1 : 0;
        if (e.type == "item_added") {
            CHECK(e.json()["job"] == id);
            CHECK(e.json()["path"].is_string());
            CHECK(e.json()["bytes"].get<std::uint64_t>() > 0);
        }
    }
    CHECK(uploaded == 6);
    CHECK(added == 6);
    auto pos = [&](const std::string& t) {
        return std::find(types.begin(), types.end(), t) - types.begin();
    };
    // "job" (created) comes before the job's own events; "finished" before the final "job".
    CHECK(pos("job") < pos("album_ready"));
    CHECK(pos("album_ready") < pos("item_added"));
    CHECK(pos("scan_complete") < static_cast<long>(types.size()));
    CHECK(pos("finished") < static_cast<long>(types.size()) - 1);
    auto final_job = stream.events().back().json();
    CHECK(final_job["state"] == "succeeded");
    CHECK(final_job["progress"]["percent"] == 100.0);
    CHECK(final_job["counters"]["files_done"] == 6);
}

TEST_CASE("progress events come while a job runs, and items=0 leaves out per-item events",
          "[concurrency]") {
    ServerFixture f([](photosync::server::ServerOptions& o) { o.progress_interval = 50ms; });
    auto photos = f.make_photos("Many", 90, 200000);
    SseReader stream(f.port(), f.server->token(), "/api/events?items=0");
    REQUIRE(stream.status() == 200);
    auto created =
        f.client().post("/api/jobs", {{"folder", photos.string()}, {"album", "Many"}, {"jobs", 2}});
    REQUIRE(created.status == 201);
    auto id = created.json()["id"].get<std::uint64_t>();
    REQUIRE(stream.read_until([&](const SseEvent& e) { return is_final_job_event(e, id); }, 60s));
    int progress = 0;
    for (const auto& e : stream.events()) {
        CHECK(e.type != "item_uploaded");
        CHECK(e.type != "item_added");
        if (e.type == "progress") {
            ++progress;
            auto j = e.json();
            CHECK(j["id"] == id);
            CHECK(j["progress"]["percent"].get<double>() <= 99.0);  // 100 only once it has ended
            CHECK(j["counters"].contains("bytes_done"));
        }
    }
    CHECK(progress >= 1);
}

TEST_CASE("a client that reconnects with Last-Event-ID gets what it missed") {
    ServerFixture f;
    auto photos = f.make_photos("Again", 3);
    std::string resume_from;
    {
        SseReader first(f.port(), f.server->token(), "/api/events");
        REQUIRE(first.read_until([](const SseEvent& e) { return e.type == "snapshot"; }, 5s));
        resume_from = first.events().back().id;
    }
    auto created = f.client().post("/api/jobs", {{"folder", photos.string()}, {"album", "Again"}});
    auto id = created.json()["id"].get<std::uint64_t>();
    (void)f.wait_job(id);
    SseReader second(f.port(), f.server->token(), "/api/events", {{"Last-Event-ID", resume_from}});
    REQUIRE(second.read_until([&](const SseEvent& e) { return is_final_job_event(e, id); }, 10s));
    CHECK(second.events().front().type == "job");  // no snapshot: a replay from where it was
}

TEST_CASE("the event stream ends with a shutdown event when the server stops") {
    ServerFixture f;
    SseReader stream(f.port(), f.server->token(), "/api/events");
    REQUIRE(stream.read_until([](const SseEvent& e) { return e.type == "snapshot"; }, 5s));
    auto start = std::chrono::steady_clock::now();
    f.server->shutdown(std::chrono::seconds(2));
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK(stream.read_until([](const SseEvent& e) { return e.type == "shutdown"; }, 5s));
}
