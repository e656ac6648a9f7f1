// Inspection, reset and --state persistence across a restart.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace emu_test;

TEST_CASE("state file persists albums, items, tokens and grants across a restart") {
    Emulator emu;
    emu.stop();
    emu.args = {"--state", emu.dir + "/state.json", "--ca-key-file", emu.dir + "/ca.key"};
    emu.start();
    const json t = emu.control("POST", "/oauth/token", json::object());
    const std::string tok = t["access_token"];
    const std::string album = emu.create_album(tok, "kept");
    const std::string unused = emu.upload_raw(tok, png_bytes());
    const std::string used = emu.upload_raw(tok, jpeg_bytes());
    REQUIRE(emu.batch_create(tok, {used}, album).status == 200);
    const std::string ca_before = emu.ca_file;
    emu.stop();
    emu.start();
    // Same access token, same album, remembered tokens.
    const Reply g = emu.api("GET", "/v1/albums/" + album, tok);
    REQUIRE(g.status == 200);
    CHECK(g.json_body()["mediaItemsCount"] == "1");
    const json res =
        emu.batch_create(tok, {unused, used}, album).json_body()["newMediaItemResults"];
    CHECK(res[0]["status"]["message"] == "Success");
    CHECK(res[1]["status"]["message"] == "Upload token has already been used.");
    HttpClient c(emu.https_port, true, emu.ca_file);  // CA reused: old trust still works
    CHECK(c.request("GET", "/__emulator/health").status == 200);
}

TEST_CASE("inspection dump and reset") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string img = jpeg_bytes(4321);
    const std::string album = emu.create_album(tok, "inspect");
    emu.batch_create(tok, {emu.upload_raw(tok, img, "seen.jpg")}, album);
    const json items = emu.control("GET", "/mediaItems");
    REQUIRE(items.size() == 1);
    CHECK(items[0]["filename"] == "seen.jpg");
    CHECK(items[0]["size"] == 4321);
    CHECK(items[0]["sha256"] == sha256_hex(img));
    CHECK(items[0]["albums"][0] == album);
    const json albums = emu.control("GET", "/albums");
    CHECK(albums[0]["mediaItemIds"][0] == items[0]["id"]);
    const json stats = emu.control("GET", "/stats");
    CHECK(stats["endpoints"]["uploads.raw"]["requests"] == 1);
    CHECK(stats["endpoints"]["albums.create"]["by_status"]["200"] == 1);
    emu.control("POST", "/reset");
    CHECK(emu.control("GET", "/mediaItems").empty());
    CHECK(emu.control("GET", "/stats")["total_requests"] == 0);
    // OAuth grants survive a default reset.
    CHECK(emu.api("GET", "/v1/albums", tok).status == 200);
}

TEST_CASE("SIGTERM shuts down gracefully and saves") {
    Emulator emu;
    emu.stop();
    emu.args = {"--state", emu.dir + "/s.json"};
    emu.start();
    const std::string tok = emu.access_token();
    emu.create_album(tok, "before-term");
    emu.stop();
    std::ifstream in(emu.dir + "/s.json");
    const json j = json::parse(in);
    CHECK(j["store"]["albums"][0]["title"] == "before-term");
}
