// Bad requests and bad tokens are refused with the right status and a JSON
// error, and the server keeps serving after every one of them.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <thread>

#include "server_fixture.hpp"

using namespace photosync::test;
using nlohmann::json;

namespace {

// The one error shape: {"error": {"code": N, "message": "...", "kind": "..."}}.
void check_error(const HttpResult& r, int status, const std::string& message_part = {}) {
    INFO("response: " << r.status << " " << r.body);
    CHECK(r.status == status);
    CHECK(r.header("content-type").starts_with("application/json"));
    auto j = json::parse(r.body, nullptr, false);
    REQUIRE(j.is_object());
    REQUIRE(j.contains("error"));
    CHECK(j["error"]["code"] == status);
    CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
    if (!message_part.empty()) {
        CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains(message_part));
    }
}

void check_still_serving(const ServerFixture& f) {
    auto r = f.client().get("/api/jobs");
    CHECK(r.status == 200);
}

}  // namespace

TEST_CASE("the API needs the bearer token, the page's files do not") {
    ServerFixture f;
    auto photos = f.make_photos("Secret", 2);
    REQUIRE(f.client().post("/api/jobs", {{"folder", photos.string()}, {"album", "S"}}).status ==
            201);
    HttpClient anonymous(f.port());
    for (const std::string path : {"/api/jobs", "/api/jobs/1", "/api/plugins", "/api/albums",
                                   "/api/events", "/api/server", "/api/nonexistent"}) {
        INFO(path);
        auto none = anonymous.get(path);
        check_error(none, 401, "access token");
        CHECK(none.header("www-authenticate").starts_with("Bearer"));
        CHECK(none.body.find("Secret") == std::string::npos);  // no data leaks
        auto wrong = anonymous.request("GET", path, {}, {}, std::string(43, 'A'));
        check_error(wrong, 401, "wrong");
        auto basic = anonymous.request("GET", path, {}, {{"Authorization", "Basic dXNlcjpwdw=="}});
        check_error(basic, 401);
    }
    // A token that is a prefix of the real one is wrong too.
    auto prefix = anonymous.request("GET", "/api/jobs", {}, {}, f.server->token().substr(0, 20));
    check_error(prefix, 401);
    // Creating a job without a token does nothing.
    auto post = anonymous.request("POST", "/api/jobs",
                                  json{{"folder", photos.string()}, {"album", "X"}}.dump());
    check_error(post, 401);
    CHECK(f.client().get("/api/jobs").json()["jobs"].size() == 1);

    auto page = anonymous.get("/");
    CHECK(page.status == 200);
    CHECK(page.header("content-type").starts_with("text/html"));
    CHECK(page.body.find("<html") != std::string::npos);
    CHECK_FALSE(page.header("content-security-policy").empty());
    CHECK(anonymous.get("/app.js").status == 200);
    CHECK(anonymous.get("/app.css").header("content-type").starts_with("text/css"));
    // A file the browser already has: 304.
    auto again = anonymous.request("GET", "/app.js", {}, {{"If-None-Match", page.header("etag")}});
    CHECK(again.status == 200);  // another file's tag does not match
    auto js = anonymous.get("/app.js");
    CHECK(anonymous.request("GET", "/app.js", {}, {{"If-None-Match", js.header("etag")}}).status ==
          304);
    check_error(anonymous.get("/missing.html"), 404);
    check_still_serving(f);
}

TEST_CASE("the token is 32 random bytes in base64url, kept 0600 and reused on restart") {
    std::string first;
    std::filesystem::path file;
    {
        ServerFixture f;
        first = f.server->token();
        file = f.server->token_file();
        CHECK(f.server->token_created());
        CHECK(first.size() == 43);
        CHECK(first.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
              std::string::npos);
        CHECK(file == f.dir / "state" / "server-token");
        struct stat st {};
        REQUIRE(::stat(file.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK(f.server->url_with_token() == f.server->url() + "#token=" + first);

        // Restart on the same state folder: the same token.
        f.server.reset();
        f.start();
        CHECK_FALSE(f.server->token_created());
        CHECK(f.server->token() == first);
        CHECK(f.client().get("/api/jobs").status == 200);
    }
    ServerFixture other;
    CHECK(other.server->token() != first);
}

TEST_CASE("malformed and invalid job requests get 400 with a clear message") {
    ServerFixture f;
    auto photos = f.make_photos("P", 1);
    auto c = f.client();
    check_error(c.request("POST", "/api/jobs", "{\"folder\": "), 400, "malformed JSON");
    check_error(c.request("POST", "/api/jobs", "not json at all"), 400, "malformed JSON");
    check_error(c.request("POST", "/api/jobs", ""), 400, "malformed JSON");
    // A number no double holds: nlohmann's out_of_range, once a 500 (tests/fuzz found it).
    check_error(c.request("POST", "/api/jobs", "{\"folder\": \"/x\", \"album\": 1e9999}"), 400,
                "malformed JSON: number overflow");
    check_error(c.post("/api/jobs", json::array({1, 2})), 400, "JSON object");
    check_error(c.post("/api/jobs", {{"album", "A"}}), 400, "'folder' is missing");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}}), 400, "'album' is missing");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}, {"album", ""}}), 400, "empty");
    check_error(c.post("/api/jobs", {{"folder", 42}, {"album", "A"}}), 400, "string");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"jobz", 2}}),
                400, "unknown field 'jobz'");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"jobs", 0}}),
                400, "'jobs'");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"jobs", 65}}),
                400, "'jobs'");
    check_error(
        c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"dry_run", "yes"}}), 400,
        "dry_run");
    check_error(c.post("/api/jobs", {{"folder", "relative/path"}, {"album", "A"}}), 400,
                "absolute");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"to", "Bad!"}}),
                400);
    check_error(
        c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"to", "nosuchplugin"}}),
        400, "nosuchplugin");
    check_error(c.post("/api/jobs", {{"folder", photos.string()},
                                     {"album", "A"},
                                     {"options", {{"no_such_option", "1"}}}}),
                400, "no_such_option");
    check_error(
        c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"bwlimit", "fast"}}),
        400, "bad bandwidth limit 'fast': expected 'off', a rate such as 512k, 2M");
    check_error(c.post("/api/jobs", {{"folder", photos.string()}, {"album", "A"}, {"bwlimit", 2}}),
                400, "'bwlimit' must be a string");
    check_error(
        c.post("/api/jobs",
               {{"folder", photos.string()}, {"album", "A"}, {"max_requests_per_day", "lots"}}),
        400, "'max_requests_per_day' must be a whole number");
    // A folder that does not exist: the engine's one line.
    check_error(c.post("/api/jobs", {{"folder", (f.dir / "nope").string()}, {"album", "A"}}), 400,
                "does not exist");
    CHECK(c.get("/api/jobs").json()["jobs"].empty());
    check_still_serving(f);
}

TEST_CASE("paths outside the allowed roots get 403, whether they exist or not") {
    ServerFixture f;
    TempDir elsewhere;
    write_media(elsewhere / "a.jpg", Fake::jpeg, 3000, 1);
    auto photos = f.make_photos("Mine", 1);
    auto c = f.client();
    check_error(c.post("/api/jobs", {{"folder", elsewhere.path().string()}, {"album", "A"}}), 403,
                "outside the folders this server may use");
    check_error(c.post("/api/jobs", {{"folder", "/nonexistent/place"}, {"album", "A"}}), 403,
                "outside");
    check_error(c.post("/api/jobs", {{"folder", (f.dir / ".." / "x").string()}, {"album", "A"}}),
                403, "outside");
    // A symbolic link inside the root that leads out is judged by where it leads.
    std::filesystem::create_directory_symlink(elsewhere.path(), f.dir / "escape");
    check_error(c.post("/api/jobs", {{"folder", (f.dir / "escape").string()}, {"album", "A"}}), 403,
                "outside");
    // The destination folder too.
    check_error(c.post("/api/jobs", {{"folder", photos.string()},
                                     {"album", "A"},
                                     {"to", "folder:" + elsewhere.path().string()}}),
                403, "destination folder");
    CHECK(c.get("/api/jobs").json()["jobs"].empty());
    CHECK_FALSE(std::filesystem::exists(elsewhere / "A"));
    check_still_serving(f);
}

TEST_CASE("unknown jobs and paths get 404, wrong methods 405 with Allow") {
    ServerFixture f;
    auto c = f.client();
    check_error(c.get("/api/jobs/999"), 404, "no job 999");
    check_error(c.request("POST", "/api/jobs/999/cancel"), 404, "no job 999");
    check_error(c.request("DELETE", "/api/jobs/999"), 404);
    check_error(c.get("/api/jobs/abc"), 404, "job ids are numbers");
    check_error(c.get("/api/jobs/1/frobnicate"), 404);
    check_error(c.get("/api/whatever"), 404);
    auto put = c.request("PUT", "/api/jobs", "{}");
    check_error(put, 405);
    CHECK(put.header("allow") == "GET, POST");
    auto del = c.request("DELETE", "/api/plugins");
    check_error(del, 405);
    CHECK(del.header("allow") == "GET");
    check_error(c.request("GET", "/api/jobs/1/cancel"), 405);
    check_error(c.request("POST", "/index.html", "{}"), 405);
    check_still_serving(f);
}

TEST_CASE("oversized bodies and headers, garbage and slow clients are cut off") {
    ServerFixture f([](photosync::server::ServerOptions& o) {
        o.read_timeout = std::chrono::milliseconds(600);
    });
    auto c = f.client();
    auto auth = "Authorization: Bearer " + f.server->token() + "\r\n";

    SECTION("a body over the limit: 413, announced or not") {
        std::string big(2 * 1024 * 1024, 'x');
        check_error(c.request("POST", "/api/jobs", big), 413, "larger than 1048576");
        // Announced but not sent: refused on the headers alone.
        auto r = c.raw("POST /api/jobs HTTP/1.1\r\nHost: x\r\n" + auth +
                       "Content-Length: 50000000\r\n\r\n");
        check_error(r, 413);
        // Chunked, without a length.
        std::string chunked =
            "POST /api/jobs HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 20; ++i) {
            chunked += "10000\r\n" + std::string(0x10000, 'y') + "\r\n";
        }
        chunked += "0\r\n\r\n";
        check_error(c.raw(chunked), 413);
    }
    SECTION("headers over the limit: 431") {
        check_error(c.request("GET", "/api/jobs", {}, {{"X-Filler", std::string(20000, 'h')}}),
                    431);
    }
    SECTION("not HTTP: 400") {
        check_error(c.raw("HELLO THERE\r\n\r\n"), 400, "malformed HTTP");
        check_error(c.raw("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"), 400);
    }
    SECTION("a client that stops half-way through its request is cut off in time") {
        auto start = std::chrono::steady_clock::now();
        auto r = c.raw("GET /api/jobs HTTP/1.1\r\nHost: x\r\n", std::chrono::seconds(5));
        auto took = std::chrono::steady_clock::now() - start;
        CHECK(r.status == 0);
        CHECK(r.closed);
        CHECK(took < std::chrono::seconds(3));
    }
    SECTION("a client that sends its body too slowly is cut off in time") {
        auto start = std::chrono::steady_clock::now();
        auto r = c.raw("POST /api/jobs HTTP/1.1\r\nHost: x\r\n" + auth +
                           "Content-Length: 100\r\n\r\n{\"folder\":",
                       std::chrono::seconds(5));
        CHECK(r.status == 0);
        CHECK(r.closed);
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    }
    SECTION("an idle connection is closed without a word") {
        auto r = c.raw("", std::chrono::seconds(5));
        CHECK(r.status == 0);
        CHECK(r.closed);
    }
    check_still_serving(f);
}
