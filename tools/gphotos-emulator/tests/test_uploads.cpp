// /v1/uploads: raw and resumable protocols, offsets, granularity, query,
// cancel, resume after dropped connections, upload-token expiry.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace emu_test;

namespace {

// Waits until the emulator has taken at least `n` body bytes off its sockets.
void wait_for_upload_bytes(Emulator& emu, std::uint64_t n) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (emu.control("GET", "/stats")["upload_bytes"].get<std::uint64_t>() < n) {
        REQUIRE(std::chrono::steady_clock::now() < until);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

std::string start_session(Emulator& emu, const std::string& tok, std::size_t size,
                          const std::string& name = "big.jpg", Reply* out = nullptr) {
    HttpClient c(emu.http_port, false);
    const Reply r = c.request("POST", "/v1/uploads", "",
                              {{"Authorization", "Bearer " + tok},
                               {"X-Goog-Upload-Command", "start"},
                               {"X-Goog-Upload-Protocol", "resumable"},
                               {"X-Goog-Upload-Content-Type", "image/jpeg"},
                               {"X-Goog-Upload-File-Name", name},
                               {"X-Goog-Upload-Raw-Size", std::to_string(size)}});
    REQUIRE(r.status == 200);
    if (out)
        *out = r;
    const std::string url = r.header("X-Goog-Upload-URL");
    REQUIRE(url.starts_with("http://127.0.0.1:"));
    return url.substr(url.find("/v1/uploads"));
}

Reply send(Emulator& emu, const std::string& target, const std::string& tok, const std::string& cmd,
           const std::string& body, std::optional<std::size_t> offset) {
    HttpClient c(emu.http_port, false);
    Headers h{{"Authorization", "Bearer " + tok}, {"X-Goog-Upload-Command", cmd}};
    if (offset)
        h.emplace_back("X-Goog-Upload-Offset", std::to_string(*offset));
    return c.request("POST", target, body, h);
}

std::string item_sha(Emulator& emu, const std::string& tok, const std::string& upload_token) {
    const Reply b = emu.batch_create(tok, {upload_token});
    REQUIRE(b.status == 200);
    const json res = b.json_body()["newMediaItemResults"][0];
    REQUIRE(res["status"]["message"] == "Success");
    const std::string id = res["mediaItem"]["id"];
    for (const auto& it : emu.control("GET", "/mediaItems"))
        if (it["id"] == id)
            return it["sha256"];
    return {};
}

}  // namespace

TEST_CASE("raw upload returns a plain-text token") {
    Emulator emu;
    const std::string tok = emu.access_token();
    HttpClient c(emu.http_port, false);
    const std::string img = jpeg_bytes(100000);
    const Reply r = c.request("POST", "/v1/uploads", img,
                              {{"Authorization", "Bearer " + tok},
                               {"Content-Type", "application/octet-stream"},
                               {"X-Goog-Upload-Protocol", "raw"},
                               {"X-Goog-Upload-File-Name", "IMG_1.JPG"}});
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type").starts_with("text/plain"));
    CHECK(r.body.size() == 156);
    CHECK(r.body.starts_with("CAIS"));
    CHECK(item_sha(emu, tok, r.body) == sha256_hex(img));

    SECTION("the protocol header is required") {
        const Reply bad =
            c.request("POST", "/v1/uploads", img, {{"Authorization", "Bearer " + tok}});
        CHECK(bad.status == 400);
        CHECK(bad.json_body()["error"]["status"] == "INVALID_ARGUMENT");
    }
    SECTION("uploads need a token") {
        CHECK(c.request("POST", "/v1/uploads", img, {{"X-Goog-Upload-Protocol", "raw"}}).status ==
              401);
    }
}

TEST_CASE("resumable upload in one request, both command spellings") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string img = jpeg_bytes(700000);
    for (const std::string cmd : {"upload, finalize", "upload,finalize"}) {
        Reply start;
        const std::string target = start_session(emu, tok, img.size(), "x.jpg", &start);
        CHECK(start.header("X-Goog-Upload-Status") == "active");
        CHECK(start.header("X-Goog-Upload-Chunk-Granularity") == "262144");
        CHECK(target.find("upload_protocol=resumable") != std::string::npos);
        const Reply r = send(emu, target, tok, cmd, img, 0);
        REQUIRE(r.status == 200);
        CHECK(r.header("X-Goog-Upload-Status") == "final");
        CHECK(item_sha(emu, tok, r.body) == sha256_hex(img));
    }
}

TEST_CASE("resumable upload in granular chunks with offsets and query") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string img = png_bytes(3039417);
    const std::string target = start_session(emu, tok, img.size());
    const std::size_t chunk = 1048576;
    for (std::size_t off = 0; off < img.size(); off += chunk) {
        const bool last = off + chunk >= img.size();
        const Reply r = send(emu, target, tok, last ? "upload, finalize" : "upload",
                             img.substr(off, chunk), off);
        REQUIRE(r.status == 200);
        if (!last) {
            CHECK(r.header("X-Goog-Upload-Status") == "active");
            const Reply q = send(emu, target, tok, "query", "", std::nullopt);
            CHECK(q.header("X-Goog-Upload-Status") == "active");
            CHECK(q.header("X-Goog-Upload-Size-Received") == std::to_string(off + chunk));
        } else {
            CHECK(r.header("X-Goog-Upload-Status") == "final");
            const Reply q = send(emu, target, tok, "query", "", std::nullopt);
            CHECK(q.header("X-Goog-Upload-Status") == "final");
            CHECK(q.body == r.body);
            CHECK(item_sha(emu, tok, r.body) == sha256_hex(img));
        }
    }
}

TEST_CASE("resumable protocol errors") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string img = jpeg_bytes(600000);
    const std::string target = start_session(emu, tok, img.size());
    SECTION("non-final chunk not a multiple of the granularity") {
        const Reply r = send(emu, target, tok, "upload", img.substr(0, 100000), 0);
        CHECK(r.status == 400);
        CHECK(r.header("X-Goog-Upload-Status") == "active");
        CHECK(r.header("X-Goog-Upload-Size-Received") == "0");
    }
    SECTION("offset that does not match what was received") {
        REQUIRE(send(emu, target, tok, "upload", img.substr(0, 262144), 0).status == 200);
        const Reply r = send(emu, target, tok, "upload, finalize", img.substr(300000), 300000);
        CHECK(r.status == 400);
        CHECK(r.header("X-Goog-Upload-Size-Received") == "262144");
        const Reply missing = send(emu, target, tok, "upload", "", std::nullopt);
        CHECK(missing.status == 400);
        // The right offset still works afterwards.
        const Reply ok = send(emu, target, tok, "upload, finalize", img.substr(262144), 262144);
        CHECK(ok.status == 200);
    }
    SECTION("finalized size must match X-Goog-Upload-Raw-Size") {
        const Reply r = send(emu, target, tok, "upload, finalize", img.substr(0, 1000), 0);
        CHECK(r.status == 400);
    }
    SECTION("cancel ends the session") {
        const Reply c = send(emu, target, tok, "cancel", "", std::nullopt);
        CHECK(c.status == 200);
        CHECK(c.header("X-Goog-Upload-Status") == "cancelled");
        CHECK(send(emu, target, tok, "upload, finalize", img, 0).status == 400);
        CHECK(send(emu, target, tok, "query", "", std::nullopt).header("X-Goog-Upload-Status") ==
              "cancelled");
    }
    SECTION("unknown session, other user, bad command") {
        CHECK(send(emu, "/v1/uploads?upload_id=nope&upload_protocol=resumable", tok, "query", "",
                   std::nullopt)
                  .status == 404);
        const std::string other =
            emu.control("POST", "/oauth/token", {{"user", "other@example.com"}}).at("access_token");
        CHECK(send(emu, target, other, "query", "", std::nullopt).status == 404);
        CHECK(send(emu, target, tok, "frobnicate", "", std::nullopt).status == 400);
        CHECK(send(emu, target, "", "query", "", std::nullopt).status == 401);
    }
    SECTION("sessions expire with the upload-token lifetime") {
        emu.control("POST", "/clock/advance", {{"hours", 25}});
        const std::string fresh = emu.access_token();
        CHECK(send(emu, target, fresh, "query", "", std::nullopt).status == 404);
    }
}

TEST_CASE("resume after the client drops the connection mid-chunk") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string img = jpeg_bytes(1000000);
    const std::string target = start_session(emu, tok, img.size());
    const std::string head =
        "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Authorization: Bearer " + tok +
        "\r\n" + "X-Goog-Upload-Command: upload, finalize\r\nX-Goog-Upload-Offset: 0\r\n" +
        "Content-Length: " + std::to_string(img.size()) + "\r\n\r\n";
    send_partial_and_close(emu.http_port, head, img.substr(0, 600000));
    // Once the server has read all that was sent, query (a query supersedes a
    // request still in progress, so what it reports is final).
    wait_for_upload_bytes(emu, 600000);
    const Reply q = send(emu, target, tok, "query", "", std::nullopt);
    REQUIRE(q.header("X-Goog-Upload-Status") == "active");
    const std::size_t received = std::stoul(q.header("X-Goog-Upload-Size-Received"));
    // The server keeps whole granules only.
    CHECK(received % 262144 == 0);
    CHECK(received <= 524288);
    CHECK(received == 524288);  // normally everything sent had arrived
    const Reply r0 = send(emu, target, tok, "upload, finalize", img.substr(received), received);
    REQUIRE(r0.status == 200);
    CHECK(item_sha(emu, tok, r0.body) == sha256_hex(img));
}

TEST_CASE("a query supersedes an upload request that is still running") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string img = jpeg_bytes(1000000);
    const std::string target = start_session(emu, tok, img.size());
    const std::string head =
        "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Authorization: Bearer " + tok +
        "\r\n" + "X-Goog-Upload-Command: upload, finalize\r\nX-Goog-Upload-Offset: 0\r\n" +
        "Content-Length: " + std::to_string(img.size()) + "\r\n\r\n";
    send_partial_and_close(emu.http_port, head, img.substr(0, 600000));
    // Once that request is writing into the session (connections run on
    // different threads: it may not have started yet), query: whatever it
    // reports is consistent and resumable.
    wait_for_upload_bytes(emu, 1);
    const Reply q = send(emu, target, tok, "query", "", std::nullopt);
    const std::size_t received = std::stoul(q.header("X-Goog-Upload-Size-Received"));
    CHECK(received % 262144 == 0);
    const Reply r = send(emu, target, tok, "upload, finalize", img.substr(received), received);
    REQUIRE(r.status == 200);
    CHECK(item_sha(emu, tok, r.body) == sha256_hex(img));
}

TEST_CASE("resume after the server drops the connection (fault)") {
    Emulator emu;
    const std::string tok = emu.access_token();
    emu.control("POST", "/faults",
                {{"kind", "drop_mid_upload"},
                 {"endpoint", "uploads.upload"},
                 {"count", 1},
                 {"after_bytes", 700000}});
    const std::string img = mp4_bytes(2000000);
    const std::string target = start_session(emu, tok, img.size(), "clip.mp4");
    CHECK_THROWS(send(emu, target, tok, "upload, finalize", img, 0));
    const Reply q = send(emu, target, tok, "query", "", std::nullopt);
    CHECK(q.header("X-Goog-Upload-Status") == "active");
    REQUIRE(q.header("X-Goog-Upload-Size-Received") == "524288");
    const Reply r = send(emu, target, tok, "upload, finalize", img.substr(524288), 524288);
    REQUIRE(r.status == 200);
    CHECK(item_sha(emu, tok, r.body) == sha256_hex(img));
    CHECK(emu.control("GET", "/stats")["endpoints"]["uploads.upload"]["by_status"]["dropped"] == 1);
}

TEST_CASE("raw upload dropped mid-body leaves nothing behind") {
    Emulator emu;
    const std::string tok = emu.access_token();
    emu.control("POST", "/faults",
                {{"kind", "drop_mid_upload"},
                 {"endpoint", "uploads.raw"},
                 {"count", 1},
                 {"after_bytes", 1000}});
    CHECK_THROWS(emu.upload_raw(tok, jpeg_bytes(50000)));
    CHECK(emu.control("GET", "/state")["uploadTokens"] == 0);
    CHECK_NOTHROW(emu.upload_raw(tok, jpeg_bytes(50000)));
}

TEST_CASE("upload tokens expire after a day") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string ut = emu.upload_raw(tok, jpeg_bytes());
    emu.control("POST", "/clock/advance", {{"seconds", 86401}});
    const std::string tok2 = emu.access_token();
    const Reply r = emu.batch_create(tok2, {ut});
    REQUIRE(r.status == 200);
    const json s = r.json_body()["newMediaItemResults"][0]["status"];
    CHECK(s["code"] == 3);
    CHECK(s["message"] == "Upload token has expired.");
}

TEST_CASE("large streamed upload keeps memory flat") {
    Emulator emu;
    const std::string tok = emu.access_token();
    const std::string chunk = random_bytes(8 << 20, 3);
    // 256 MiB through one raw request body in 8 MiB pieces (chunked encoding).
    std::vector<std::string> pieces(32, chunk);
    pieces[0] = mp4_bytes(8 << 20);
    HttpClient c(emu.http_port, false);
    const Reply r =
        c.request_chunked("POST", "/v1/uploads", pieces,
                          {{"Authorization", "Bearer " + tok}, {"X-Goog-Upload-Protocol", "raw"}});
    REQUIRE(r.status == 200);
    const json st = emu.control("GET", "/state");
    CHECK(st["bytesReceived"] == 256ull << 20);
}
