// After upload (issue 11): `photosync sync FOLDER ALBUM --move-to DIR` and
// `--delete-after-upload` through the real CLI into the emulator. A file is
// moved only once its item is committed (batchCreate succeeded for it and
// the ledger says so) and deleted only once the album's listing shows it
// too: an upload's 200 alone never moves or deletes anything.
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <random>
#include <sstream>

#include "gphotos_cli.hpp"

using namespace photosync;
using namespace photosync::test;
namespace fs = std::filesystem;

namespace {

// Every file under `root`, by path relative to it, with its content.
std::map<std::string, std::string> files_under(const fs::path& root) {
    std::map<std::string, std::string> out;
    if (!fs::exists(root)) {
        return out;
    }
    // Also read while a run is moving files: one may vanish between the
    // listing and the read (a partial copy renamed), so no canonical paths.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        if (!it->is_regular_file(ec)) {
            continue;
        }
        std::ifstream in(it->path(), std::ios::binary);
        if (!in) {
            continue;  // gone since it was listed
        }
        std::ostringstream content;
        content << in.rdbuf();
        out[it->path().lexically_relative(root).string()] = content.str();
    }
    return out;
}

std::set<std::string> keys(const std::map<std::string, std::string>& m) {
    std::set<std::string> out;
    for (const auto& [k, v] : m) {
        out.insert(k);
    }
    return out;
}

std::string base_name(const std::string& rel) {
    return fs::path(rel).filename().string();
}

std::set<std::string> album_names(GphotosFixture& f, const std::string& title) {
    auto album = the_album(f, title);
    if (!album.contains("mediaItemIds")) {
        return {};
    }
    auto names = album_file_names(f, album);
    return {names.begin(), names.end()};
}

// A folder on another filesystem than $TMPDIR when the machine has one
// (/dev/shm is tmpfs), so a move is a copy, a flush and a rename there.
struct OtherFsDir {
    fs::path path;
    OtherFsDir() {
        std::string tmpl = (fs::is_directory("/dev/shm") ? std::string("/dev/shm")
                                                         : fs::temp_directory_path().string()) +
                           "/photosync-moved-XXXXXX";
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~OtherFsDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

}  // namespace

TEST_CASE(
    "after upload: --move-to moves exactly the committed files, a failed batchCreate leaves its "
    "files, and a re-run uploads nothing it moved") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    TempDir moved_root;
    const fs::path moved = moved_root / "done";  // created by the run
    photos(folder.path(), 0, 52);
    fs::create_directories(folder / "day2");
    photos(folder / "day2", 52, 60);
    const auto before = files_under(folder.path());
    REQUIRE(before.size() == 60);
    // 60 items go up in two batchCreate calls (50, then 10): the second is
    // refused whole, after every upload of it got its 200.
    f.inject({{"kind", "error"},
              {"status", 400},
              {"endpoint", "mediaItems.batchCreate"},
              {"skip", 1},
              {"count", 1}});

    auto r = cli.run({"sync", folder.path().string(), "Moved", "--move-to", moved.string()});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    f.check_no_secrets(r.out + r.err);
    CHECK(upload_requests(f.stats()) == 60);
    const auto in_album = album_names(f, "Moved");
    REQUIRE(in_album.size() == 50);
    const auto now_moved = files_under(moved);
    const auto left = files_under(folder.path());
    CHECK(now_moved.size() == 50);
    CHECK(left.size() == 10);
    for (const auto& [rel, content] : now_moved) {
        INFO(rel);
        CHECK(in_album.contains(base_name(rel)));  // committed, and only then moved
        REQUIRE(before.contains(rel));             // same relative path under DIR
        CHECK(before.at(rel) == content);          // the same bytes
    }
    for (const auto& [rel, content] : left) {
        INFO(rel);
        CHECK_FALSE(in_album.contains(base_name(rel)));  // its batchCreate failed: it stays
    }
    CHECK(now_moved.contains("day2/img_052.jpg"));
    CHECK_THAT(r.out, Catch::Contains("50 moved"));

    // The next run uploads the ten that stayed, and nothing it moved.
    reset_stats(f);
    auto again = cli.run({"sync", folder.path().string(), "Moved", "--move-to", moved.string()});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK(upload_requests(f.stats()) == 10);
    CHECK(files_under(folder.path()).empty());
    CHECK(files_under(moved) == before);

    // And then there is nothing to do: no upload, no batchCreate.
    reset_stats(f);
    photos(folder.path(), 0, 0);
    auto third = cli.run({"sync", folder.path().string(), "Moved", "--move-to", moved.string()});
    INFO(third.out << third.err);
    CHECK(third.exit_code == 0);
    auto s = f.stats();
    CHECK(upload_requests(s) == 0);
    CHECK(GphotosFixture::requests(s, "mediaItems.batchCreate") == 0);
    check_each_file_once(f, "Moved", 60);
}

TEST_CASE("after upload: --delete-after-upload deletes only what the album's listing shows") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 6);
    // Uploaded with a 200, then refused by batchCreate (not a photo): it stays.
    write_media(folder / "notes.mmv", Fake::text, 500, 1);
    const auto before = files_under(folder.path());

    // The album listing fails: every item is committed, none is verified.
    f.inject({{"kind", "error"}, {"status", 400}, {"endpoint", "mediaItems.search"}, {"count", 1}});
    auto r = cli.run({"sync", folder.path().string(), "Deleted", "--delete-after-upload"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out + r.err, Catch::Contains("nothing was deleted"));
    CHECK(album_names(f, "Deleted").size() == 6);
    CHECK(files_under(folder.path()) == before);

    // The next run uploads nothing new, sees the six in the listing, deletes them.
    reset_stats(f);
    auto again = cli.run({"sync", folder.path().string(), "Deleted", "--delete-after-upload"});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 1);  // notes.mmv is refused again
    auto s = f.stats();
    CHECK(upload_requests(s) == 1);  // notes.mmv only
    CHECK(GphotosFixture::requests(s, "mediaItems.search") >= 1);
    CHECK(keys(files_under(folder.path())) == std::set<std::string>{"notes.mmv"});
    CHECK_THAT(again.out, Catch::Contains("6 deleted"));
    CHECK(album_names(f, "Deleted").size() == 6);
}

TEST_CASE(
    "after upload: --move-to never overwrites: a name taken under DIR keeps the source file, one "
    "line") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    OtherFsDir moved;
    photos(folder.path(), 0, 3);
    write_media(moved.path / "img_001.jpg", Fake::jpeg, 777, 99);  // someone else's file
    const auto before = files_under(folder.path());
    const auto theirs = files_under(moved.path).at("img_001.jpg");

    auto r = cli.run({"sync", folder.path().string(), "Clash", "--move-to", moved.path.string()});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(album_names(f, "Clash").size() == 3);
    auto left = files_under(folder.path());
    CHECK(keys(left) == std::set<std::string>{"img_001.jpg"});
    CHECK(left["img_001.jpg"] == before.at("img_001.jpg"));
    auto there = files_under(moved.path);
    CHECK(there["img_001.jpg"] == theirs);  // not overwritten
    CHECK(there["img_000.jpg"] == before.at("img_000.jpg"));
    CHECK(there["img_002.jpg"] == before.at("img_002.jpg"));
    std::size_t lines = 0;
    std::istringstream out(r.out + r.err);
    for (std::string line; std::getline(out, line);) {
        if (line.find("img_001.jpg") != std::string::npos) {
            ++lines;
            CHECK_THAT(line,
                       Catch::Contains("already exists") && Catch::Contains("never overwrites"));
        }
    }
    CHECK(lines == 1);

    // A DIR inside FOLDER would feed moved files back in: refused before any upload.
    reset_stats(f);
    auto inside = cli.run(
        {"sync", folder.path().string(), "Clash", "--move-to", (folder / "uploaded").string()});
    INFO(inside.out << inside.err);
    CHECK(inside.exit_code == 2);
    CHECK_THAT(inside.err, Catch::Contains("inside the folder being synced"));
    CHECK(upload_requests(f.stats()) == 0);
    CHECK_FALSE(fs::exists(folder / "uploaded"));
}

TEST_CASE(
    "after upload: --move-to killed at random moments while moving: every file is in FOLDER or "
    "DIR, and the next run finishes the moves without uploading anything") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    OtherFsDir moved;  // another filesystem: copy, flush, rename, unlink
    photos(folder.path(), 0, 120);
    const auto before = files_under(folder.path());
    const std::vector<std::string> sync{"sync", folder.path().string(), "Killed", "--move-to",
                                        moved.path.string()};
    // What a kill may leave: each file whole in FOLDER or in DIR (or both),
    // never neither, never torn; only committed files in DIR.
    auto check_nothing_lost = [&] {
        auto left = files_under(folder.path());
        auto there = files_under(moved.path);
        std::erase_if(there, [](const auto& kv) {
            return base_name(kv.first).starts_with(".photosync-partial-");
        });
        const auto in_album = album_names(f, "Killed");
        for (const auto& [rel, content] : before) {
            INFO(rel);
            CHECK((left.contains(rel) || there.contains(rel)));
            if (left.contains(rel)) {
                CHECK(left.at(rel) == content);
            }
            if (there.contains(rel)) {
                CHECK(there.at(rel) == content);
                CHECK(in_album.contains(base_name(rel)));
            }
        }
        CHECK(left.size() + there.size() >= before.size());
        return there.size();
    };

    std::mt19937 rng(20261124);
    int kills = 0;
    for (int round = 0; round < 8; ++round) {
        const auto moved_before = files_under(moved.path).size();
        const auto more = 1 + rng() % 25;  // kill once this many more files are in DIR
        ProcessOptions o;
        o.kill_when = [&](const ProcessResult&) {
            return files_under(moved.path).size() >= moved_before + more;
        };
        reset_stats(f);
        auto r = cli.run(sync, {}, o);
        INFO("round " << round << ": " << r.out << r.err);
        if (round > 0) {
            CHECK(upload_requests(f.stats()) == 0);  // everything went up in round 0
        }
        check_nothing_lost();
        if (r.exit_code != 128 + SIGKILL) {
            CHECK(r.exit_code == 0);
            break;
        }
        ++kills;
    }
    CHECK(kills >= 1);
    reset_stats(f);
    auto last = cli.run(sync);
    INFO(last.out << last.err);
    CHECK(last.exit_code == 0);
    CHECK(upload_requests(f.stats()) == 0);
    CHECK(files_under(folder.path()).empty());
    auto there = files_under(moved.path);
    std::erase_if(there, [](const auto& kv) {
        return base_name(kv.first).starts_with(".photosync-partial-");
    });
    CHECK(there == before);
    check_each_file_once(f, "Killed", 120);
}
