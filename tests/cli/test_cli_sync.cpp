// The photosync CLI as a user runs it: a subprocess, real plugins, real files.
#include <catch2/catch.hpp>
#include <fstream>

#include "cli_fixture.hpp"
#include "media_files.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using namespace std::chrono_literals;

using test::check_one_line;
using test::photosync_cli;

TEST_CASE("photosync sync copies a folder into an album byte for byte") {
    test::TempDir tmp;
    std::vector<fs::path> files;
    for (int i = 0; i < 30; ++i) {
        auto rel = fs::path(i < 10 ? "2026-01" : "2026-02") /
                   ("IMG_" + std::to_string(i) + (i % 5 == 0 ? ".mp4" : ".jpg"));
        test::write_media(tmp / ("Trip" / rel).string(),
                          i % 5 == 0 ? test::Fake::mp4 : test::Fake::jpeg,
                          2000 + 1000 * static_cast<std::size_t>(i), i);
        files.push_back(rel);
    }
    auto r = photosync_cli(
        {"sync", (tmp / "Trip").string(), "Trip 2026", "--to", "folder:" + (tmp / "out").string()},
        tmp.path());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("succeeded: 30 of 30 files uploaded into 'Trip 2026'"));
    for (const auto& rel : files) {
        CHECK(test::read_file(tmp / "out/Trip 2026" / rel.filename()) ==
              test::read_file(tmp / "Trip" / rel));
    }
}

TEST_CASE("a missing folder is one clear line and exit 2") {
    test::TempDir tmp;
    auto r = photosync_cli(
        {"sync", (tmp / "nope").string(), "A", "--to", "folder:" + (tmp / "out").string()},
        tmp.path());
    CHECK(r.exit_code == 2);
    check_one_line(r.err, (tmp / "nope").string() + " does not exist");
}

TEST_CASE("a file given as the folder is one clear line and exit 2") {
    test::TempDir tmp;
    test::write_media(tmp / "a.jpg", test::Fake::jpeg, 100, 1);
    auto r = photosync_cli(
        {"sync", (tmp / "a.jpg").string(), "A", "--to", "folder:" + (tmp / "out").string()},
        tmp.path());
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "is a file, not a folder");
}

TEST_CASE("an unknown destination is one clear line and exit 2") {
    test::TempDir tmp;
    auto r = photosync_cli({"sync", tmp.path().string(), "A", "--to", "dropbox:/x"}, tmp.path());
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "no destination plugin named 'dropbox'");
    auto bad =
        photosync_cli({"sync", tmp.path().string(), "A", "--to", "Not A Plugin"}, tmp.path());
    CHECK(bad.exit_code == 2);
    check_one_line(bad.err, "is not a plugin name");
}

TEST_CASE("plugin options are checked against what the plugin declares") {
    test::TempDir tmp;
    test::write_media(tmp / "in/a.jpg", test::Fake::jpeg, 3000, 1);
    auto typo =
        photosync_cli({"sync", (tmp / "in").string(), "A", "--to",
                       "folder:" + (tmp / "out").string(), "--source-option", "include_hiden=true"},
                      tmp.path());
    CHECK(typo.exit_code == 2);
    check_one_line(typo.err,
                   "plugin 'local' has no option 'include_hiden' (its options: include_hidden, "
                   "follow_symlinks, max_depth, settle_ms)");
    auto malformed = photosync_cli({"sync", (tmp / "in").string(), "A", "--to",
                                    "folder:" + (tmp / "out").string(), "-o", "novalue"},
                                   tmp.path());
    CHECK(malformed.exit_code == 2);
    check_one_line(malformed.err, "option 'novalue' is not KEY=VALUE");
    auto hidden = photosync_cli(
        {"sync", (tmp / "in").string(), "A", "--to", "folder:" + (tmp / "out").string(),
         "--source-option", "include_hidden=true"},
        tmp.path());
    CHECK(hidden.exit_code == 0);
}

TEST_CASE("photosync auth refuses plugins that need no sign-in") {
    test::TempDir tmp;
    auto r = photosync_cli({"auth", "--to", "folder:" + tmp.path().string(), "status"}, tmp.path());
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "plugin 'folder' needs no sign-in");
}

TEST_CASE("failed items give exit 1 and a summary naming them") {
    test::TempDir tmp;
    test::write_media(tmp / "in/ok.jpg", test::Fake::jpeg, 3000, 1);
    test::write_media(tmp / "in/broken.jpg", test::Fake::text, 3000, 2);
    auto r = photosync_cli(
        {"sync", (tmp / "in").string(), "A", "--to", "folder:" + (tmp / "out").string()},
        tmp.path());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("1 of 2 files uploaded") &&
                          Catch::Contains("broken.jpg: not a photo or video"));
    CHECK(fs::exists(tmp / "out/A/ok.jpg"));
}

TEST_CASE("photosync plugins lists the plugins and refuses bad ones by name") {
    test::TempDir tmp;
    auto r =
        photosync_cli({"plugins", "--plugin-dir", PHOTOSYNC_TEST_FIXTURE_PLUGIN_DIR}, tmp.path());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("local\tsource\t1.0.0\t") &&
                          Catch::Contains("folder\tdestination\t1.0.0\t"));
    CHECK_THAT(r.err, Catch::Contains(
                          "photosync-plugin-wrongabi.so refused: built for SDK ABI version 999"));
    CHECK_THAT(r.err,
               Catch::Contains("photosync-plugin-notaplugin.so refused: not a photosync plugin"));
}

TEST_CASE("photosync --version and --help work without plugins or network") {
    test::TempDir tmp;
    auto v = photosync_cli({"--version"}, tmp.path());
    CHECK(v.exit_code == 0);
    CHECK_THAT(v.out, Catch::StartsWith("photosync 0.") && Catch::Contains("plugin SDK ABI"));
    auto h = photosync_cli({"sync", "--help"}, tmp.path());
    CHECK(h.exit_code == 0);
    CHECK_THAT(h.out, Catch::Contains("--jobs") && Catch::Contains("--to"));
    auto none = photosync_cli({}, tmp.path());
    CHECK(none.exit_code == 2);
}

TEST_CASE("Ctrl-C stops a sync promptly with exit 130 and no torn file", "[concurrency]") {
    test::TempDir tmp;
    for (int i = 0; i < 24; ++i) {
        test::write_media(tmp / ("big/v" + std::to_string(i) + ".mp4"), test::Fake::mp4, 16 << 20,
                          i);
    }
    test::ProcessOptions options;
    options.interrupt_when_err_contains = "progress:";  // the sync is under way
    auto start = std::chrono::steady_clock::now();
    auto r = photosync_cli({"sync", (tmp / "big").string(), "Big", "--jobs", "2", "--to",
                            "folder:" + (tmp / "out").string()},
                           tmp.path(), options);
    auto took = std::chrono::steady_clock::now() - start;
    INFO(r.err);
    CHECK(r.exit_code == 130);
    CHECK(took < 1500ms);
    CHECK_THAT(r.err, Catch::Contains("stopping"));
    // The album exists only if a batch was committed before the interrupt.
    std::error_code no_album;
    for (const auto& e : fs::directory_iterator(tmp / "out/Big", no_album)) {
        CHECK(test::read_file(e.path()) == test::read_file(tmp / "big" / e.path().filename()));
    }
}
