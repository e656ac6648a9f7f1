// The real `photosync` CLI as a subprocess, pointed at the emulator of a
// GphotosFixture, signed in through a shell script that plays the browser.
#pragma once

#include <cstdio>
#include <fstream>
#include <set>

#include "gphotos_fixture.hpp"
#include "media_files.hpp"

namespace photosync::test {

struct Cli {
    GphotosFixture& f;
    TempDir home;

    explicit Cli(GphotosFixture& fixture) : f(fixture) {
        auto browser = home / "browser.sh";
        std::ofstream(browser) << "#!/bin/sh\nexec /usr/bin/curl -s -L --cacert '"
                               << f.emu.ca_file().string() << "' \"$1\" >/dev/null 2>&1\n";
        std::filesystem::permissions(browser, std::filesystem::perms::owner_all);
    }

    ProcessResult run(std::vector<std::string> args, const std::filesystem::path& state = {},
                      ProcessOptions o = {}) {
        auto opts = f.cli_options();
        args.insert(args.end(), opts.begin(), opts.end());
        o.env["HOME"] = home.path().string();
        o.env["XDG_STATE_HOME"] = (state.empty() ? home / "state" : state).string();
        o.env["BROWSER"] = (home / "browser.sh").string();
        o.env["PHOTOSYNC_PLUGIN_PATH"] = "";
        o.timeout = std::chrono::seconds(150);
        return run_process(PHOTOSYNC_TEST_CLI, args, o);
    }

    void login(const std::filesystem::path& state = {}) {
        auto r = run({"auth", "login"}, state);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
    }
};

inline void photos(const std::filesystem::path& dir, int from, int to) {
    for (int i = from; i < to; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, i < 1000 ? "img_%03d.jpg" : "img_%d.jpg", i);
        write_media(dir / name, Fake::jpeg, 3000 + i, i);
    }
}

// Only the counters: the store, faults, quotas and clock stay as they are.
inline void reset_stats(GphotosFixture& f) {
    f.control("POST", "/__emulator/reset",
              {{"store", false},
               {"stats", true},
               {"faults", false},
               {"quotas", false},
               {"clock", false},
               {"oauth", false}});
}

inline std::vector<std::string> album_file_names(GphotosFixture& f, const json& album) {
    auto items = f.control("GET", "/__emulator/mediaItems");
    std::map<std::string, std::string> name_of;
    for (const auto& m : items) {
        name_of[m["id"]] = m["filename"];
    }
    std::vector<std::string> names;
    for (const auto& id : album["mediaItemIds"]) {
        names.push_back(name_of[id]);
    }
    return names;
}

inline int upload_requests(const json& stats) {
    int n = 0;
    for (const auto& [name, endpoint] : stats["endpoints"].items()) {
        if (name.starts_with("uploads.")) {
            n += endpoint["requests"].get<int>();
        }
    }
    return n;
}

inline int dropped(const json& stats, const std::string& endpoint) {
    return GphotosFixture::with_status(stats, endpoint, "dropped");
}

inline json the_album(GphotosFixture& f, const std::string& title) {
    for (const auto& a : f.control("GET", "/__emulator/albums")) {
        if (a["title"] == title) {
            return a;
        }
    }
    return json::object();
}

// Every file of the folder is in the album exactly once, and the account holds
// no other copy of it (no orphan from a half-seen batchCreate).
inline void check_each_file_once(GphotosFixture& f, const std::string& title, int files) {
    auto album = the_album(f, title);
    REQUIRE(album.contains("mediaItemIds"));
    auto names = album_file_names(f, album);
    std::multiset<std::string> counted(names.begin(), names.end());
    std::set<std::string> distinct(names.begin(), names.end());
    CHECK(distinct.size() == static_cast<std::size_t>(files));
    for (const auto& n : distinct) {
        INFO(n);
        CHECK(counted.count(n) == 1);
    }
    CHECK(f.control("GET", "/__emulator/mediaItems").size() == static_cast<std::size_t>(files));
}

}  // namespace photosync::test
