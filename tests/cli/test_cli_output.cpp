// What the CLI shows: a live bar on a terminal, plain lines elsewhere,
// JSON for scripts, a log file without secrets.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_fixture.hpp"
#include "media_files.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using test::photosync_cli;

TEST_CASE("on a terminal the progress is a redrawn bar, then the summary") {
    test::TempDir tmp;
    for (int i = 0; i < 40; ++i) {
        test::write_media(tmp / ("in/v" + std::to_string(i) + ".mp4"), test::Fake::mp4, 4 << 20, i);
    }
    test::ProcessOptions options;
    options.env["HOME"] = tmp.path().string();
    options.env["XDG_STATE_HOME"] = (tmp / "state").string();
    options.env["PHOTOSYNC_PLUGIN_PATH"] = "";
    auto r = test::run_in_terminal(PHOTOSYNC_TEST_CLI,
                                   {"sync", (tmp / "in").string(), "A", "--jobs", "2", "--to",
                                    "folder:" + (tmp / "out").string()},
                                   options);
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out,
               Catch::Contains("\r\033[K[") && Catch::Contains("] ") && Catch::Contains("files"));
    CHECK_THAT(r.out, Catch::Contains("100%"));
    CHECK_THAT(r.out, Catch::Contains("succeeded: 40 of 40 files uploaded into 'A'"));
}

TEST_CASE("off a terminal the progress is plain lines on stderr") {
    test::TempDir tmp;
    test::write_media(tmp / "in/a.jpg", test::Fake::jpeg, 3000, 1);
    auto r = photosync_cli(
        {"sync", (tmp / "in").string(), "A", "--to", "folder:" + (tmp / "out").string()},
        tmp.path());
    CHECK(r.exit_code == 0);
    CHECK(r.err.find('\r') == std::string::npos);
    CHECK(r.err.find("\033[") == std::string::npos);
}

TEST_CASE("json output is one JSON object a line one JSON object a line: events, then a summary") {
    test::TempDir tmp;
    for (int i = 0; i < 7; ++i) {
        test::write_media(tmp / ("in/IMG_" + std::to_string(i) + ".jpg"), test::Fake::jpeg,
                          3000 + i, i);
    }
    test::write_media(tmp / "in/bad.jpg", test::Fake::text, 100, 9);
    auto r = photosync_cli(
        {"sync", (tmp / "in").string(), "A", "--json", "--to", "folder:" + (tmp / "out").string()},
        tmp.path());
    CHECK(r.exit_code == 1);
    std::istringstream lines(r.out);
    std::string line;
    int added = 0, failed = 0;
    nlohmann::json last;
    while (std::getline(lines, line)) {
        INFO(line);
        auto j = nlohmann::json::parse(line);  // throws (fails the test) if not JSON
        added += j["event"] == "item_added" ? 1 : 0;
        failed += j["event"] == "item_failed" ? 1 : 0;
        last = j;
    }
    CHECK(added == 7);
    CHECK(failed == 1);
    CHECK(last["event"] == "summary");
    CHECK(last["state"] == "partially_failed");
    CHECK(last["files_done"] == 7);
    CHECK(last["failures"][0]["path"] == "bad.jpg");
    CHECK(last["failures"][0]["kind"] == "invalid_input");
}

TEST_CASE("a log file gets a detailed log, readable by its owner only") {
    test::TempDir tmp;
    test::write_media(tmp / "in/bad.jpg", test::Fake::text, 100, 9);
    auto log = tmp / "photosync.log";
    auto r = photosync_cli({"--log-file", log.string(), "sync", (tmp / "in").string(), "A", "--to",
                            "folder:" + (tmp / "out").string()},
                           tmp.path());
    CHECK(r.exit_code == 1);
    auto text = test::read_file(log);
    CHECK_THAT(text, Catch::Contains("item bad.jpg failed: not a photo or video"));
    struct stat st {};
    REQUIRE(::stat(log.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}
