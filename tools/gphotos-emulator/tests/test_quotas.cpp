// Quotas: requests per day, writes per minute per user, concurrent writes.
#include <catch2/catch.hpp>
#include <future>

#include "harness.hpp"

using namespace emu_test;

TEST_CASE("requests per day, reset by the clock") {
    Emulator emu({"--requests-per-day", "5"});
    const std::string tok = emu.access_token();
    for (int i = 0; i < 5; ++i)
        REQUIRE(emu.api("GET", "/v1/albums", tok).status == 200);
    const Reply r = emu.api("GET", "/v1/albums", tok);
    CHECK(r.status == 429);
    CHECK(r.json_body()["error"]["status"] == "RESOURCE_EXHAUSTED");
    CHECK(r.json_body()["error"]["message"].get<std::string>().find("'All requests per day'") !=
          std::string::npos);
    CHECK_THROWS(emu.upload_raw(tok, jpeg_bytes()));  // uploads count too
    emu.control("POST", "/clock/advance", {{"hours", 24}});
    const std::string fresh = emu.access_token();
    CHECK(emu.api("GET", "/v1/albums", fresh).status == 200);
}

TEST_CASE("writes per minute per user") {
    Emulator emu({"--writes-per-minute", "2"});
    const std::string tok = emu.access_token();
    emu.create_album(tok, "a");
    emu.create_album(tok, "b");
    const Reply r = emu.api("POST", "/v1/albums", tok, R"({"album":{"title":"c"}})");
    CHECK(r.status == 429);
    CHECK(r.json_body()["error"]["message"].get<std::string>().find(
              "'Write requests per minute per user'") != std::string::npos);
    CHECK(emu.api("GET", "/v1/albums", tok).status == 200);  // reads are not writes
    const std::string other =
        emu.control("POST", "/oauth/token", {{"user", "o@example.com"}})["access_token"];
    CHECK(emu.api("POST", "/v1/albums", other, R"({"album":{"title":"o"}})").status == 200);
    emu.control("POST", "/clock/advance", {{"seconds", 60}});
    CHECK(emu.api("POST", "/v1/albums", tok, R"({"album":{"title":"c"}})").status == 200);
    // Changed at run time.
    emu.control("POST", "/quotas", {{"writes_per_minute", 0}});
    for (int i = 0; i < 5; ++i)
        CHECK(emu.api("POST", "/v1/albums", tok, R"({"album":{"title":"d"}})").status == 200);
}

TEST_CASE("overlapping batchCreate calls of one user get the concurrent-write 429") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string u1 = emu.upload_raw(tok, jpeg_bytes(1000));
    const std::string u2 = emu.upload_raw(tok, jpeg_bytes(1001));
    emu.control("POST", "/faults",
                {{"kind", "latency"}, {"endpoint", "batchCreate"}, {"latency_ms", 600}});
    auto first = std::async(std::launch::async, [&] { return emu.batch_create(tok, {u1}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const Reply second = emu.batch_create(tok, {u2});
    const Reply r1 = first.get();
    CHECK(r1.status == 200);
    CHECK(second.status == 429);
    CHECK(second.json_body()["error"]["message"].get<std::string>().find(
              "concurrent write request") != std::string::npos);
    const json st = emu.control("GET", "/stats");
    CHECK(st["max_concurrent_batch_create"] == 2);
    CHECK(st["quotas"]["rejected_concurrent"] == 1);
    // Serial calls are fine.
    CHECK(emu.batch_create(tok, {u2}).status == 200);
    // Different users may overlap.
    const std::string other =
        emu.control("POST", "/oauth/token", {{"user", "p@example.com"}})["access_token"];
    const std::string u3 = emu.upload_raw(other, jpeg_bytes(1002));
    const std::string u4 = emu.upload_raw(tok, jpeg_bytes(1003));
    auto a = std::async(std::launch::async, [&] { return emu.batch_create(tok, {u4}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(emu.batch_create(other, {u3}).status == 200);
    CHECK(a.get().status == 200);
}
