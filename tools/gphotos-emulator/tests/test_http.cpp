// Transport: HTTPS with verification, keep-alive, chunked bodies,
// Expect: 100-continue, gzip, malformed requests, discovery files.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "harness.hpp"

using namespace emu_test;

TEST_CASE("HTTPS verifies against the CA file the emulator writes") {
    Emulator emu;
    {
        HttpClient c(emu.https_port, true, emu.ca_file, "127.0.0.1");
        CHECK(c.request("GET", "/__emulator/health").status == 200);
    }
    {
        HttpClient c(emu.https_port, true, emu.ca_file, "localhost");
        CHECK(c.request("GET", "/__emulator/health").status == 200);
    }
    // Without trusting the CA the handshake must fail.
    CHECK_THROWS(HttpClient(emu.https_port, true, "", "127.0.0.1"));
    std::ifstream ca(emu.ca_file);
    std::string pem((std::istreambuf_iterator<char>(ca)), {});
    CHECK(pem.find("BEGIN CERTIFICATE") != std::string::npos);
}

TEST_CASE("keep-alive serves many requests on one connection, HTTP and HTTPS") {
    Emulator emu;
    const std::string tok = emu.access_token();
    for (bool tls : {false, true}) {
        HttpClient c(tls ? emu.https_port : emu.http_port, tls, emu.ca_file);
        for (int i = 0; i < 20; ++i) {
            const Reply r =
                c.request("GET", "/v1/albums", {}, {{"Authorization", "Bearer " + tok}});
            REQUIRE(r.status == 200);
        }
        CHECK(c.connected());
    }
    const json st = emu.control("GET", "/stats");
    CHECK(st["endpoints"]["albums.list"]["requests"] == 40);
}

TEST_CASE("chunked request bodies work for JSON and uploads") {
    Emulator emu;
    const std::string tok = emu.access_token();
    HttpClient c(emu.http_port, false);
    const Reply a = c.request_chunked(
        "POST", "/v1/albums", {"{\"album\":", "{\"title\":\"chunky\"}}"},
        {{"Authorization", "Bearer " + tok}, {"Content-Type", "application/json"}});
    REQUIRE(a.status == 200);
    CHECK(a.json_body()["title"] == "chunky");
    const std::string img = jpeg_bytes(300000);
    const Reply u = c.request_chunked(
        "POST", "/v1/uploads", {img.substr(0, 1000), img.substr(1000, 200000), img.substr(201000)},
        {{"Authorization", "Bearer " + tok},
         {"X-Goog-Upload-Protocol", "raw"},
         {"X-Goog-Upload-File-Name", "c.jpg"}});
    REQUIRE(u.status == 200);
    const Reply b = emu.batch_create(tok, {u.body});
    REQUIRE(b.status == 200);
    const json items = emu.control("GET", "/mediaItems");
    REQUIRE(items.size() == 1);
    CHECK(items[0]["sha256"] == sha256_hex(img));
    CHECK(items[0]["size"] == img.size());
}

TEST_CASE("Expect: 100-continue") {
    Emulator emu;
    const std::string tok = emu.access_token();
    SECTION("accepted request gets 100 then the reply") {
        HttpClient c(emu.http_port, false);
        int interim = 0;
        const Reply r = c.request_expect_continue(
            "/v1/uploads", jpeg_bytes(5000),
            {{"Authorization", "Bearer " + tok}, {"X-Goog-Upload-Protocol", "raw"}}, interim);
        CHECK(interim == 100);
        CHECK(r.status == 200);
        CHECK(r.body.starts_with("CAIS"));
    }
    SECTION("rejected request gets the final status instead of 100") {
        HttpClient c(emu.http_port, false);
        int interim = 0;
        const Reply r = c.request_expect_continue("/v1/uploads", jpeg_bytes(5000),
                                                  {{"X-Goog-Upload-Protocol", "raw"}}, interim);
        CHECK(interim == 401);
        CHECK(r.status == 401);
    }
}

TEST_CASE("gzip replies for clients that accept them") {
    Emulator emu;
    const std::string tok = emu.access_token();
    for (int i = 0; i < 5; ++i)
        emu.create_album(tok, "album " + std::to_string(i));
    HttpClient c(emu.http_port, false);
    const Reply r = c.request("GET", "/v1/albums", {},
                              {{"Authorization", "Bearer " + tok}, {"Accept-Encoding", "gzip"}});
    CHECK(r.status == 200);
    CHECK(r.header("Content-Encoding") == "gzip");
    CHECK(static_cast<unsigned char>(r.body[0]) == 0x1f);
    const Reply plain = c.request("GET", "/v1/albums", {}, {{"Authorization", "Bearer " + tok}});
    CHECK(plain.header("Content-Encoding").empty());
    CHECK(plain.json_body()["albums"].size() == 5);
}

TEST_CASE("unknown paths and malformed requests") {
    Emulator emu;
    const Reply r = emu.api("GET", "/v1/nothing", "");
    CHECK(r.status == 404);
    CHECK(r.json_body()["error"]["status"] == "NOT_FOUND");
    const std::string raw = raw_exchange(emu.http_port, "GARBAGE\r\n\r\n", 1000);
    CHECK(raw.starts_with("HTTP/1.1 400"));
}

TEST_CASE("pipelined requests are answered in order") {
    Emulator emu;
    const std::string req =
        "GET /__emulator/health HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /__emulator/clock HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const std::string raw = raw_exchange(emu.http_port, req, 2000);
    const auto first = raw.find("HTTP/1.1 200");
    const auto second = raw.find("HTTP/1.1 200", first + 1);
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(raw.find("offset_ms") != std::string::npos);
}

TEST_CASE("info file, port file and client_secret.json") {
    const std::string stem = "/tmp/gpe-files-test-" + std::to_string(::getpid());
    Emulator emu2({"--client-id", "abc.apps.googleusercontent.com", "--client-secret", "s3cret",
                   "--port-file", stem + ".port", "--client-secret-file", stem + ".json"});
    std::ifstream pf(stem + ".port");
    int port = 0;
    pf >> port;
    CHECK(port == emu2.https_port);
    std::ifstream cs(stem + ".json");
    const json j = json::parse(cs);
    CHECK(j["installed"]["client_id"] == "abc.apps.googleusercontent.com");
    CHECK(j["installed"]["client_secret"] == "s3cret");
    CHECK(j["installed"]["token_uri"] ==
          "https://127.0.0.1:" + std::to_string(emu2.https_port) + "/token");
    CHECK(j["installed"]["auth_uri"].get<std::string>().ends_with("/o/oauth2/auth"));
    const json info = emu2.control("GET", "/info");
    CHECK(info["https_port"] == emu2.https_port);
    CHECK(info["ca_file"] == emu2.ca_file);
    std::remove((stem + ".port").c_str());
    std::remove((stem + ".json").c_str());
}
