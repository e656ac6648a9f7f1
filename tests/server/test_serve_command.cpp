// `photosync serve`, the real binary: prints the URL with the token, serves,
// refuses a bad --listen, and stops cleanly on SIGTERM.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>

#include "child_process.hpp"
#include "http_client.hpp"
#include "media_files.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

using namespace photosync::test;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> isolated_env(const TempDir& dir) {
    return {{"HOME", dir.path().string()},
            {"XDG_STATE_HOME", (dir / "state").string()},
            {"XDG_CONFIG_HOME", (dir / "config").string()}};
}

}  // namespace

TEST_CASE("photosync serve prints where to open it, serves, and stops on SIGTERM") {
    TempDir dir;
    std::filesystem::create_directories(dir / "Pictures");
    for (int i = 0; i < 5; ++i) {
        write_media(dir / "Pictures" / ("p" + std::to_string(i) + ".jpg"), Fake::jpeg, 30000, i);
    }
    ChildProcess serve(
        PHOTOSYNC_TEST_CLI,
        {"serve", "--listen", "127.0.0.1:0", "--to", "folder:" + (dir / "out").string()},
        isolated_env(dir));
    REQUIRE(serve.wait_for_output("#token=", 20s));
    REQUIRE(serve.wait_for_output("\n", 1s));
    std::smatch m;
    auto out = serve.output();
    INFO(out);
    std::regex url_re(R"(open http://127\.0\.0\.1:(\d+)/#token=([A-Za-z0-9_-]{43})\n)");
    REQUIRE(std::regex_search(out, m, url_re));
    auto port = static_cast<std::uint16_t>(std::stoi(m[1]));
    std::string token = m[2];
    CHECK(out.find("created in " + (dir / "state" / "photosync" / "server-token").string()) !=
          std::string::npos);
    struct stat st {};
    REQUIRE(::stat((dir / "state" / "photosync" / "server-token").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    HttpClient c(port, token);
    auto info = c.get("/api/server");
    REQUIRE(info.status == 200);
    CHECK(info.json()["allowed_roots"][0] == dir.path().string());  // $HOME by default
    CHECK(info.json()["default_destination"] == "folder:" + (dir / "out").string());
    auto created = c.post("/api/jobs", {{"folder", "~/Pictures"}, {"album", "Home"}});
    REQUIRE(created.status == 201);
    CHECK(created.json()["folder"] == (dir / "Pictures").string());
    auto id = std::to_string(created.json()["id"].get<int>());
    for (int i = 0; i < 200 && c.get("/api/jobs/" + id).json()["finished_at"].is_null(); ++i) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(c.get("/api/jobs/" + id).json()["state"] == "succeeded");
    CHECK(std::filesystem::exists(dir / "out" / "Home" / "p4.jpg"));
    CHECK(HttpClient(port).get("/api/jobs").status == 401);

    auto start = std::chrono::steady_clock::now();
    serve.signal(SIGTERM);
    CHECK(serve.wait(15s) == 0);
    CHECK(std::chrono::steady_clock::now() - start < 12s);
    CHECK(serve.output().find("photosync serve: stopped") != std::string::npos);
    // The token is printed once, in the start-up line only.
    auto all = serve.output();
    CHECK(all.find(token) == all.rfind(token));
}

TEST_CASE("photosync serve refuses a bad --listen or a port in use, with exit code 2") {
    TempDir dir;
    auto bad =
        run_process(PHOTOSYNC_TEST_CLI, {"serve", "--listen", "nowhere"}, {isolated_env(dir)});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("ADDRESS:PORT"));

    ChildProcess first(PHOTOSYNC_TEST_CLI, {"serve", "--listen", "127.0.0.1:0"}, isolated_env(dir));
    REQUIRE(first.wait_for_output("#token=", 20s));
    std::smatch m;
    auto out = first.output();
    REQUIRE(std::regex_search(out, m, std::regex(R"(127\.0\.0\.1:(\d+)/)")));
    auto busy = run_process(PHOTOSYNC_TEST_CLI, {"serve", "--listen", "127.0.0.1:" + m[1].str()},
                            {isolated_env(dir)});
    CHECK(busy.exit_code == 2);
    CHECK_THAT(busy.err, Catch::Contains("in use"));
    first.signal(SIGINT);
    CHECK(first.wait(15s) == 0);
}

TEST_CASE("photosync serve --bwlimit holds all its jobs' uploads together to the rate") {
    TempDir dir;
    for (const char* name : {"A", "B"}) {
        for (int i = 0; i < 2; ++i) {  // 1 MiB a folder, 2 MiB in all
            write_media(dir / name / ("p" + std::to_string(i) + ".jpg"), Fake::jpeg, 512 * 1024,
                        i + 10);
        }
    }
    ChildProcess serve(PHOTOSYNC_TEST_CLI,
                       {"serve", "--listen", "127.0.0.1:0", "--to",
                        "folder:" + (dir / "out").string(), "--bwlimit", "1M"},
                       isolated_env(dir));
    REQUIRE(serve.wait_for_output("#token=", 20s));
    REQUIRE(serve.wait_for_output("\n", 1s));
    std::smatch m;
    auto out = serve.output();
    REQUIRE(
        std::regex_search(out, m, std::regex(R"(127\.0\.0\.1:(\d+)/#token=([A-Za-z0-9_-]{43}))")));
    HttpClient c(static_cast<std::uint16_t>(std::stoi(m[1])), m[2]);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::string> ids;
    for (const char* name : {"A", "B"}) {
        auto created = c.post("/api/jobs", {{"folder", (dir / name).string()}, {"album", name}});
        REQUIRE(created.status == 201);
        ids.push_back(std::to_string(created.json()["id"].get<int>()));
    }
    for (const auto& id : ids) {
        for (int i = 0; i < 400 && c.get("/api/jobs/" + id).json()["finished_at"].is_null(); ++i) {
            std::this_thread::sleep_for(25ms);
        }
        CHECK(c.get("/api/jobs/" + id).json()["state"] == "succeeded");
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("elapsed " << seconds << " s");
    // 2 MiB at 1 MiB/s shared: 2 s, less the bucket's tenth of a second.
    CHECK(seconds >= 1.8);
    CHECK(std::filesystem::exists(dir / "out" / "B" / "p1.jpg"));
    serve.signal(SIGTERM);
    CHECK(serve.wait(15s) == 0);
}
