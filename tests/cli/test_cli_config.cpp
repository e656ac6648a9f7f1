// The TOML config file: named jobs, defaults, plugin options, and one clear
// line for every mistake in it.
#include <catch2/catch.hpp>
#include <fstream>

#include "cli_fixture.hpp"
#include "media_files.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using test::check_one_line;
using test::photosync_cli;

namespace {
fs::path write_config(const test::TempDir& tmp, const std::string& text) {
    auto file = tmp / "config.toml";
    std::ofstream(file) << text;
    return file;
}
}  // namespace

TEST_CASE("a named job from the config file runs with its folder, album and defaults") {
    test::TempDir tmp;
    test::write_media(tmp / "trip/a.jpg", test::Fake::jpeg, 2000, 1);
    test::write_media(tmp / "trip/.hidden.jpg", test::Fake::jpeg, 2000, 2);
    test::write_media(tmp / "trip/skip.png", test::Fake::png, 2000, 3);
    auto config = write_config(tmp,
                               "[defaults]\n"
                               "to = \"folder:" +
                                   (tmp / "out").string() +
                                   "\"\n"
                                   "exclude = [\"*.png\"]\n"
                                   "[plugins.local]\n"
                                   "include_hidden = true\n"
                                   "[jobs.trip]\n"
                                   "folder = \"" +
                                   (tmp / "trip").string() +
                                   "\"\n"
                                   "album = \"Trip 2026\"\n"
                                   "jobs = 2\n");
    auto r = photosync_cli({"--config", config.string(), "sync", "--job", "trip"}, tmp.path());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(tmp / "out/Trip 2026/a.jpg"));
    CHECK(fs::exists(tmp / "out/Trip 2026/.hidden.jpg"));     // [plugins.local] applied
    CHECK_FALSE(fs::exists(tmp / "out/Trip 2026/skip.png"));  // [defaults] exclude applied
    // A flag wins over the config.
    auto flag = photosync_cli({"--config", config.string(), "sync", "--job", "trip", "--to",
                               "folder:" + (tmp / "other").string()},
                              tmp.path());
    CHECK(flag.exit_code == 0);
    CHECK(fs::exists(tmp / "other/Trip 2026/a.jpg"));
}

TEST_CASE("letters beyond ASCII are fine in quoted names, strings and comments") {
    test::TempDir tmp;
    test::write_media(tmp / "\u0141\u00f3d\u017a/a.jpg", test::Fake::jpeg, 2000, 1);
    auto config = write_config(tmp,
                               "# zdj\u0119cia z wakacji\n"
                               "[jobs.\"wakacje \u0142\u00f3d\u017a\"]\n"
                               "folder = \"" +
                                   (tmp / "\u0141\u00f3d\u017a").string() +
                                   "\"  # \u3042 \u00a7\n"
                                   "album = \"\"\"Wakacje \u2014 \u0141\u00f3d\u017a\"\"\"\n"
                                   "to = 'folder:" +
                                   (tmp / "out").string() + "'\n");
    auto r = photosync_cli(
        {"--config", config.string(), "sync", "--job", "wakacje \u0142\u00f3d\u017a"}, tmp.path());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(tmp / "out/Wakacje \u2014 \u0141\u00f3d\u017a/a.jpg"));
}

TEST_CASE("the default config file is read from XDG_CONFIG_HOME") {
    test::TempDir tmp;
    test::write_media(tmp / "in/a.jpg", test::Fake::jpeg, 2000, 1);
    fs::create_directories(tmp / "xdg/photosync");
    std::ofstream(tmp / "xdg/photosync/config.toml")
        << "[defaults]\nto = \"folder:" << (tmp / "out").string() << "\"\n";
    test::ProcessOptions options;
    options.env["XDG_CONFIG_HOME"] = (tmp / "xdg").string();
    auto r = photosync_cli({"sync", (tmp / "in").string(), "A"}, tmp.path(), options);
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(tmp / "out/A/a.jpg"));
}

TEST_CASE("config mistakes are one line naming the file, the line and the key") {
    test::TempDir tmp;
    struct Case {
        std::string text, says;
    };
    for (const auto& c : {
             Case{"[defaults]\nto = \"folder:/x\"\njobs = [oops\n", ":3: "},
             Case{"[jobs.trip]\nfolder = \"/x\"\nalbun = \"Trip\"\n",
                  ":3: unknown key 'albun' in [jobs.trip]"},
             Case{"[defaults]\njobs = \"eight\"\n", ":2: 'jobs' must be a number from 1 to 64"},
             Case{"[defaults]\nexclude = \"*.png\"\n", ":2: 'exclude' must be a list of strings"},
             Case{"[default]\nto = \"x\"\n", ":1: unknown section [default]"},
             // Found by tests/fuzz/fuzz_config: toml++ 3.3 has undefined
             // behaviour on such names; a quoted key's control characters
             // made a message of two lines.
             Case{"[jobs.wakacje-\u0142\u00f3d\u017a]\nfolder = \"/x\"\n",
                  ":1: '\u0142' outside quotes: names with letters beyond ASCII must be quoted"},
             Case{"[defaults]\n\"a\\nb\" = \"x\"\n", ":2: unknown key 'a\\x0Ab' in [defaults]"},
         }) {
        auto config = write_config(tmp, c.text);
        auto r = photosync_cli({"--config", config.string(), "sync", tmp.path().string(), "A"},
                               tmp.path());
        INFO(c.text);
        CHECK(r.exit_code == 2);
        check_one_line(r.err, "config " + config.string() + c.says);
    }
    auto missing = photosync_cli({"--config", (tmp / "nope.toml").string(), "plugins"}, tmp.path());
    CHECK(missing.exit_code == 2);
    check_one_line(missing.err, "nope.toml does not exist");
    auto no_job = photosync_cli({"--config", write_config(tmp, "").string(), "sync", "--job", "x"},
                                tmp.path());
    CHECK(no_job.exit_code == 2);
    check_one_line(no_job.err, "no job 'x' in");
}
