// Fault injection: error replies (one-shot, rated, bursts), lost responses,
// latency, bandwidth cap; set by flags and at run time.
#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace emu_test;

TEST_CASE("next-N error faults scoped to an endpoint") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string u = emu.upload_raw(tok, jpeg_bytes());
    const json added = emu.control(
        "POST", "/faults",
        {{"kind", "error"}, {"status", 503}, {"endpoint", "batchCreate"}, {"count", 2}});
    CHECK(added["added"].size() == 1);
    CHECK(emu.api("GET", "/v1/albums", tok).status == 200);  // other endpoints unaffected
    const Reply r = emu.batch_create(tok, {u});
    CHECK(r.status == 503);
    CHECK(r.json_body()["error"]["status"] == "UNAVAILABLE");
    CHECK(emu.batch_create(tok, {u}).status == 503);
    CHECK(emu.batch_create(tok, {u}).status == 200);
    CHECK(emu.control("GET", "/mediaItems").size() == 1);  // failed calls created nothing
}

TEST_CASE("faults from the command line: 500 and 429 bursts") {
    Emulator emu({"--fault", "kind=error,status=500,endpoint=albums.list,count=1", "--fault",
                  "kind=error,status=429,endpoint=albums.create,count=3"});
    const std::string tok = emu.access_token();
    const Reply e = emu.api("GET", "/v1/albums", tok);
    CHECK(e.status == 500);
    CHECK(e.json_body()["error"]["message"] == "Internal error encountered.");
    CHECK(emu.api("GET", "/v1/albums", tok).status == 200);
    for (int i = 0; i < 3; ++i) {
        const Reply q = emu.api("POST", "/v1/albums", tok, R"({"album":{"title":"x"}})");
        CHECK(q.status == 429);
        CHECK(q.json_body()["error"]["status"] == "RESOURCE_EXHAUSTED");
    }
    CHECK(emu.api("POST", "/v1/albums", tok, R"({"album":{"title":"x"}})").status == 200);
}

TEST_CASE("rated faults are reproducible with a seed") {
    auto pattern = [] {
        Emulator emu({"--fault-seed", "1234", "--fault",
                      "kind=error,status=503,rate=0.5,endpoint=albums.list"});
        const std::string tok = emu.access_token();
        std::string p;
        for (int i = 0; i < 30; ++i)
            p.push_back(emu.api("GET", "/v1/albums", tok).status == 503 ? 'x' : '.');
        return p;
    };
    const std::string a = pattern();
    CHECK(a == pattern());
    CHECK(a.find('x') != std::string::npos);
    CHECK(a.find('.') != std::string::npos);
}

TEST_CASE("lost response: batchCreate takes effect but the reply never arrives") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string album = emu.create_album(tok, "lost");
    const std::string u = emu.upload_raw(tok, jpeg_bytes());
    emu.control(
        "POST", "/faults",
        {{"kind", "drop_before_reply"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    CHECK_THROWS(emu.batch_create(tok, {u}, album));
    const json items = emu.control("GET", "/mediaItems");
    REQUIRE(items.size() == 1);
    CHECK(items[0]["albums"][0] == album);
    const json st = emu.control("GET", "/stats");
    CHECK(st["endpoints"]["mediaItems.batchCreate"]["by_status"]["dropped"] == 1);
    // A blind retry with the same token now fails per item: the client must look first.
    const Reply retry = emu.batch_create(tok, {u}, album);
    CHECK(retry.json_body()["newMediaItemResults"][0]["status"]["code"] == 3);
}

TEST_CASE("added latency and the bandwidth cap") {
    Emulator emu({"--latency-ms", "250"});
    const std::string tok = emu.access_token();
    auto t0 = std::chrono::steady_clock::now();
    CHECK(emu.api("GET", "/v1/albums", tok).status == 200);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(240));
    emu.control("DELETE", "/faults");
    emu.control("POST", "/faults", {{"bandwidth_bytes_per_s", 1000000}});
    t0 = std::chrono::steady_clock::now();
    emu.upload_raw(tok, jpeg_bytes(1000000));
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(took >= std::chrono::milliseconds(800));
    CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("fault rules can be listed and removed") {
    Emulator emu;
    const json a = emu.control(
        "POST", "/faults",
        {{"rules",
          {{{"kind", "error"}, {"status", 500}}, {{"kind", "latency"}, {"latency_ms", 1}}}}});
    REQUIRE(a["rules"].size() == 2);
    const std::uint64_t id = a["added"][0];
    emu.control("DELETE", "/faults/" + std::to_string(id));
    CHECK(emu.control("GET", "/faults")["rules"].size() == 1);
    emu.control("DELETE", "/faults");
    CHECK(emu.control("GET", "/faults")["rules"].empty());
    HttpClient c(emu.http_port, false);
    CHECK(c.request("POST", "/__emulator/faults", R"({"kind":"bogus"})").status == 400);
}

TEST_CASE("faults also hit the OAuth token endpoint") {
    Emulator emu;
    emu.control("POST", "/faults",
                {{"kind", "error"}, {"status", 503}, {"endpoint", "oauth.token"}, {"count", 1}});
    HttpClient c(emu.https_port, true, emu.ca_file);
    CHECK(c.request("POST", "/token", "grant_type=refresh_token").status == 503);
}

namespace {

// The body of a raw HTTP/1.1 reply (everything after the blank line).
std::string raw_body(const std::string& raw) {
    const auto end = raw.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : raw.substr(end + 4);
}

std::string raw_get(const Emulator& emu, const std::string& token, const std::string& method,
                    const std::string& target, const std::string& body = {}) {
    return raw_exchange(
        emu.http_port,
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body);
}

}  // namespace

TEST_CASE("reply faults: malformed JSON and an HTML page; the request still takes effect") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string album = emu.create_album(tok, "damaged");
    const std::string u = emu.upload_raw(tok, jpeg_bytes());
    emu.control("POST", "/faults",
                {{"kind", "malformed_json"}, {"endpoint", "batchCreate"}, {"count", 1}});
    const Reply broken = emu.batch_create(tok, {u}, album);
    CHECK(broken.status == 200);
    CHECK(broken.header("content-type").starts_with("application/json"));
    CHECK_FALSE(json::accept(broken.body));
    CHECK(emu.control("GET", "/mediaItems").size() == 1);  // it was created all the same

    emu.control("POST", "/faults",
                {{"kind", "wrong_content_type"}, {"endpoint", "albums.list"}, {"count", 1}});
    const Reply page = emu.api("GET", "/v1/albums", tok);
    CHECK(page.status == 200);
    CHECK(page.header("content-type").starts_with("text/html"));
    CHECK(page.body.starts_with("<!DOCTYPE html>"));
    const Reply after = emu.api("GET", "/v1/albums", tok);  // count used up
    CHECK(after.header("content-type").starts_with("application/json"));
    CHECK(after.json_body()["albums"].size() == 1);
    CHECK_THROWS(emu.control("POST", "/faults", {{"kind", "malformed"}}));
}

TEST_CASE("reply faults: a truncated body and a huge one") {
    Emulator emu;
    const std::string tok = emu.access_token();
    emu.control("POST", "/faults",
                {{"kind", "truncated_body"}, {"endpoint", "albums.create"}, {"count", 1}});
    const std::string cut =
        raw_get(emu, tok, "POST", "/v1/albums", R"({"album":{"title":"half"}})");
    REQUIRE(cut.starts_with("HTTP/1.1 200"));
    const auto at = cut.find("Content-Length: ");
    REQUIRE(at != std::string::npos);
    const auto announced = std::stoul(cut.substr(at + 16));
    CHECK(raw_body(cut).size() == announced / 2);
    CHECK(emu.control("GET", "/albums").size() == 1);  // created, though the reply was cut
    CHECK(emu.control("GET", "/stats")["endpoints"]["albums.create"]["by_status"]["dropped"] == 1);

    emu.control("POST", "/faults",
                {{"kind", "huge_body"}, {"endpoint", "albums.list"}, {"body_bytes", 3 << 20}});
    const std::string huge = raw_get(emu, tok, "GET", "/v1/albums");
    REQUIRE(huge.starts_with("HTTP/1.1 200"));
    const std::string body = raw_body(huge);
    CHECK(body.size() == std::size_t{3} << 20);
    CHECK(json::parse(body)["albums"][0]["title"] == "half");  // valid JSON, padded
    CHECK(huge.find("Content-Encoding") == std::string::npos);
}
