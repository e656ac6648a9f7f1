// The REST API driving real jobs into Google Photos, played by the emulator
// over verified HTTPS: the server's jobs go through the gphotos plugin loaded
// by Boost.DLL, signed in through the real loopback OAuth flow.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "emulator_client.hpp"
#include "emulator_process.hpp"
#include "process.hpp"
#include "server_fixture.hpp"

using namespace photosync;
using namespace photosync::test;
using nlohmann::json;

namespace {

struct GphotosServer {
    EmulatorProcess emu{PHOTOSYNC_TEST_EMULATOR};
    std::map<std::string, std::string> options{{"api_url", emu.base_url()},
                                               {"ca_file", emu.ca_file().string()},
                                               {"client_secret", emu.client_secret_file().string()},
                                               {"revoke_url", emu.base_url() + "/revoke"}};
    ServerFixture f{[this](server::ServerOptions& so) {
        so.default_destination = "gphotos";
        so.plugin_options["gphotos"] = options;
    }};

    // What `photosync auth login` does, through the server's own engine:
    // curl plays the browser and the emulator approves.
    void login() {
        auto endpoint = engine::Endpoint::parse("gphotos");
        REQUIRE(endpoint);
        endpoint->config.options.insert(options.begin(), options.end());
        auto auth = f.engine->authenticator(*endpoint);
        REQUIRE(auth);
        CurlBrowser browser(emu.ca_file().string());
        auto done = boost::asio::co_spawn(f.engine->executor(), (*auth)->login(browser.prompt()),
                                          boost::asio::use_future);
        auto signed_in = done.get();
        INFO((signed_in ? *signed_in : signed_in.error().message));
        REQUIRE(signed_in);
    }

    json control(const std::string& method, const std::string& path, const json& body = {}) {
        return emulator_control(emu, method, path, body);
    }

    // File names in the emulator's album of that title, in album order.
    std::vector<std::string> album(const std::string& title) {
        std::map<std::string, std::string> name_of;
        for (const auto& m : control("GET", "/__emulator/mediaItems")) {
            name_of[m["id"]] = m["filename"];
        }
        for (const auto& a : control("GET", "/__emulator/albums")) {
            if (a["title"] == title) {
                std::vector<std::string> names;
                for (const auto& id : a["mediaItemIds"]) {
                    names.push_back(name_of[id]);
                }
                return names;
            }
        }
        return {};
    }
};

std::set<std::string> names_in(const std::filesystem::path& folder) {
    std::set<std::string> out;
    for (const auto& [name, content] : source_by_name(folder)) {
        out.insert(name);
    }
    return out;
}

}  // namespace

TEST_CASE("two REST jobs into Google Photos finish, with batchCreate serial across them",
          "[concurrency]") {
    GphotosServer g;
    g.login();
    auto a = g.f.make_photos("A", 70, 8000, 1);
    auto b = g.f.make_photos("B", 55, 8000, 2);
    auto c = g.f.client();
    auto ra = c.post("/api/jobs", {{"folder", a.string()}, {"album", "Alpha"}, {"jobs", 4}});
    auto rb = c.post("/api/jobs", {{"folder", b.string()}, {"album", "Beta"}, {"jobs", 4}});
    REQUIRE(ra.status == 201);
    REQUIRE(rb.status == 201);
    CHECK(ra.json()["to"] == "gphotos");  // the server's default destination
    auto ja = g.f.wait_job(ra.json()["id"].get<std::uint64_t>());
    auto jb = g.f.wait_job(rb.json()["id"].get<std::uint64_t>());
    INFO(ja.dump() << "\n" << jb.dump());
    CHECK(ja["state"] == "succeeded");
    CHECK(jb["state"] == "succeeded");
    CHECK(ja["counters"]["files_done"] == 70);
    CHECK(jb["counters"]["files_done"] == 55);

    auto alpha = g.album("Alpha");
    auto beta = g.album("Beta");
    CHECK(std::set<std::string>(alpha.begin(), alpha.end()) == names_in(a));
    CHECK(std::set<std::string>(beta.begin(), beta.end()) == names_in(b));
    CHECK(alpha.size() == 70);
    CHECK(beta.size() == 55);

    auto stats = g.control("GET", "/__emulator/stats");
    CHECK(stats["max_concurrent_batch_create"] == 1);  // one account: one batchCreate at a time
    CHECK(stats["endpoints"]["mediaItems.batchCreate"]["requests"] == 4);  // 50+20, 50+5
    CHECK(stats["quotas"]["rejected_concurrent"] == 0);

    auto albums = c.get("/api/albums").json()["albums"];
    REQUIRE(albums.size() == 2);
    for (const auto& entry : albums) {
        CHECK(entry["committed"] == (entry["album"] == "Alpha" ? 70 : 55));
    }

    // A re-run through the API sends nothing to Google.
    (void)g.control("POST", "/__emulator/reset", {{"store", false}, {"stats", true}});
    auto again = c.post("/api/jobs", {{"folder", a.string()}, {"album", "Alpha"}});
    auto rerun = g.f.wait_job(again.json()["id"].get<std::uint64_t>());
    CHECK(rerun["state"] == "succeeded");
    CHECK(rerun["counters"]["files_unchanged"] == 70);
    auto after = g.control("GET", "/__emulator/stats");
    CHECK_FALSE(after["endpoints"].contains("uploads.raw"));
    CHECK_FALSE(after["endpoints"].contains("mediaItems.batchCreate"));
}

TEST_CASE("a REST job's max_requests_per_day stops it with the quota error within the budget") {
    GphotosServer g;
    g.login();
    auto folder = g.f.make_photos("Q", 10);
    auto r = g.f.client().post(
        "/api/jobs",
        {{"folder", folder.string()}, {"album", "Budget"}, {"max_requests_per_day", 4}});
    REQUIRE(r.status == 201);
    auto job = g.f.wait_job(r.json()["id"].get<std::uint64_t>());
    INFO(job.dump());
    CHECK(job["state"] == "failed");
    CHECK(job["error"]["kind"] == "quota_exhausted");
    CHECK_THAT(job["error"]["message"].get<std::string>(),
               Catch::Contains("today's budget of 4 Google Photos requests"));
    auto stats = g.control("GET", "/__emulator/stats");
    int api = 0;
    for (const auto& [name, endpoint] : stats["endpoints"].items()) {
        if (!name.starts_with("oauth")) {
            api += endpoint["requests"].get<int>();
        }
    }
    CHECK(api <= 4);
}

TEST_CASE("a REST job whose Google sign-in was revoked fails and says how to sign in again") {
    GphotosServer g;
    g.login();
    auto folder = g.f.make_photos("R", 3);
    (void)g.control("POST", "/__emulator/oauth/revoke", {{"all", true}});
    auto r = g.f.client().post("/api/jobs", {{"folder", folder.string()}, {"album", "Revoked"}});
    REQUIRE(r.status == 201);
    auto job = g.f.wait_job(r.json()["id"].get<std::uint64_t>());
    INFO(job.dump());
    CHECK(job["state"] == "failed");
    CHECK(job["error"]["kind"] == "auth");
    CHECK_THAT(job["error"]["message"].get<std::string>(), Catch::Contains("auth login"));
    CHECK(g.album("Revoked").empty());
    // No secret in what the server says.
    CHECK(job.dump().find("ya29.") == std::string::npos);
    CHECK(job.dump().find("1//") == std::string::npos);
}
