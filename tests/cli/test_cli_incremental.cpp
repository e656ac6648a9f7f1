// Re-runs, crashes and a bad state dir, as a user meets them: the CLI as a
// subprocess with the real plugins and a real ledger file.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "cli_fixture.hpp"
#include "media_files.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using namespace std::chrono_literals;
using test::check_one_line;
using test::photosync_cli;

namespace {

std::vector<std::string> sync_args(const fs::path& from, const fs::path& to,
                                   const std::string& album) {
    return {"sync", from.string(), album, "--to", "folder:" + to.string()};
}

void make_tree(const fs::path& root, int count, std::size_t size = 3000) {
    for (int i = 0; i < count; ++i) {
        test::write_media(
            root / ("d" + std::to_string(i % 5)) / ("IMG_" + std::to_string(1000 + i) + ".jpg"),
            test::Fake::jpeg, size + static_cast<std::size_t>(i), static_cast<std::uint64_t>(i));
    }
}

// Album file name -> content, checking that no source file landed twice.
std::map<std::string, std::string> album_files(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        out[e.path().filename().string()] = test::read_file(e.path());
    }
    return out;
}

// Runs SQL on the real ledger file, as a crash would have left it.
// Returns how many rows it changed.
int edit_ledger(const fs::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_file.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const int changed = sqlite3_changes(db);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
    return changed;
}

}  // namespace

TEST_CASE("a re-run uploads nothing, then one changed and one new file upload exactly two") {
    test::TempDir tmp;
    make_tree(tmp / "src", 20);
    auto first = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    REQUIRE(first.exit_code == 0);
    CHECK_THAT(first.out, Catch::StartsWith("succeeded: 20 of 20 files uploaded"));

    auto again = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::StartsWith("succeeded: 0 of 0 files uploaded") &&
                              Catch::Contains("20 unchanged"));
    CHECK(album_files(tmp / "out/A").size() == 20);

    test::write_media(tmp / "src/d0/IMG_1000.jpg", test::Fake::jpeg, 9999, 77);  // changed
    test::write_media(tmp / "src/d1/NEW.jpg", test::Fake::jpeg, 4444, 78);       // new
    auto third = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    CHECK(third.exit_code == 0);
    CHECK_THAT(third.out, Catch::StartsWith("succeeded: 2 of 2 files uploaded") &&
                              Catch::Contains("19 unchanged"));
    auto files = album_files(tmp / "out/A");
    CHECK(files.size() == 22);  // the changed file is added again: no replace (docs/usage.md)
    CHECK(files["NEW.jpg"] == test::read_file(tmp / "src/d1/NEW.jpg"));
}

TEST_CASE("renamed, moved and duplicate files are not uploaded twice") {
    test::TempDir tmp;
    make_tree(tmp / "src", 10);
    REQUIRE(photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path()).exit_code == 0);
    fs::rename(tmp / "src/d0/IMG_1000.jpg", tmp / "src/renamed.jpg");
    fs::create_directories(tmp / "src/moved");
    fs::rename(tmp / "src/d1/IMG_1001.jpg", tmp / "src/moved/IMG_1001.jpg");
    fs::copy_file(tmp / "src/d2/IMG_1002.jpg", tmp / "src/copy-of-1002.jpg");
    // Two identical new files in one run go up once.
    test::write_media(tmp / "src/twin-a.jpg", test::Fake::jpeg, 5555, 99);
    test::write_media(tmp / "src/twin-b.jpg", test::Fake::jpeg, 5555, 99);
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    // 8 untouched + renamed + moved + copy + twin-b are already there; twin-a goes up.
    CHECK(album_files(tmp / "out/A").size() == 11);
    CHECK_THAT(r.out, Catch::Contains("1 of 1 files uploaded") && Catch::Contains("12 unchanged"));
    auto rerun = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    CHECK_THAT(rerun.out, Catch::StartsWith("succeeded: 0 of 0 files uploaded") &&
                              Catch::Contains("13 unchanged"));
}

TEST_CASE("same-size files are told apart past their first 64 KiB, and identical ones go up once") {
    test::TempDir tmp;
    fs::create_directories(tmp / "src");
    constexpr std::size_t kSize = 200000;
    test::write_media(tmp / "src/a.jpg", test::Fake::jpeg, kSize, 1);
    fs::copy_file(tmp / "src/a.jpg", tmp / "src/b-copy-of-a.jpg");
    std::string a = test::read_file(tmp / "src/a.jpg");
    std::string tail_differs = a;
    tail_differs[150000] = static_cast<char>(tail_differs[150000] ^ 0x5a);  // same head as a
    std::ofstream(tmp / "src/c-same-head.jpg", std::ios::binary) << tail_differs;
    test::write_media(tmp / "src/d-other.jpg", test::Fake::jpeg, kSize, 2);
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "S"), tmp.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("3 of 3 files uploaded") && Catch::Contains("1 unchanged"));
    auto files = album_files(tmp / "out/S");
    REQUIRE(files.size() == 3);
    std::multiset<std::string> contents;
    for (const auto& [name, content] : files) {
        contents.insert(content);
    }
    CHECK(contents.count(a) == 1);
    CHECK(contents.count(tail_differs) == 1);
}

TEST_CASE("kill -9 at random moments, then re-runs: every file in the album exactly once",
          "[concurrency]") {
    test::TempDir tmp;
    constexpr int kFiles = 300;
    make_tree(tmp / "src", kFiles, 40000);
    std::mt19937 rng(20261124);
    int kills = 0;
    for (int round = 0; round < 8; ++round) {
        test::ProcessOptions options;
        options.kill_after = std::chrono::milliseconds(5 + rng() % 120);
        auto args = sync_args(tmp / "src", tmp / "out", "K");
        args.insert(args.end(), {"--jobs", "4"});
        auto r = photosync_cli(args, tmp.path(), options);
        kills += r.exit_code == 128 + SIGKILL ? 1 : 0;
    }
    auto final_run = photosync_cli(sync_args(tmp / "src", tmp / "out", "K"), tmp.path());
    INFO(final_run.out << final_run.err);
    CHECK(final_run.exit_code == 0);
    WARN("kill campaign: " << kills << " kills, then one completing run");
    CHECK(kills > 0);
    auto files = album_files(tmp / "out/K");
    CHECK(files.size() == kFiles);  // none missing, none twice ("IMG (2).jpg")
    for (const auto& [name, content] : files) {
        INFO(name);
        CHECK(name.find(" (") == std::string::npos);
        auto n = std::stoi(name.substr(4, 4)) - 1000;
        CHECK(content == test::read_file(tmp / "src" / ("d" + std::to_string(n % 5)) / name));
    }
    auto rerun = photosync_cli(sync_args(tmp / "src", tmp / "out", "K"), tmp.path());
    CHECK_THAT(rerun.out, Catch::Contains(std::to_string(kFiles) + " unchanged"));
}

// The crash this replays: the destination took a batch, then the process died
// before the ledger learnt it. Some of the batch is in the album, some is not.
TEST_CASE("an interrupted commit is reconciled: what landed is kept, the rest goes up once") {
    test::TempDir tmp;
    make_tree(tmp / "src", 10);
    REQUIRE(photosync_cli(sync_args(tmp / "src", tmp / "out", "R"), tmp.path()).exit_code == 0);
    // Six items back to `committing`; two of them never reached the album.
    CHECK(edit_ledger(tmp / "state/photosync/photosync.db",
                      "UPDATE items SET state = 2, remote_id = '' WHERE CAST(path AS TEXT) IN "
                      "('d0/IMG_1000.jpg', 'd1/IMG_1001.jpg', 'd2/IMG_1002.jpg', "
                      "'d3/IMG_1003.jpg', 'd4/IMG_1004.jpg', 'd0/IMG_1005.jpg')") == 6);
    fs::remove(tmp / "out/R/IMG_1004.jpg");
    fs::remove(tmp / "out/R/IMG_1005.jpg");

    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "R"), tmp.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("succeeded: 2 of 2 files uploaded") &&
                          Catch::Contains("8 unchanged"));
    auto files = album_files(tmp / "out/R");
    CHECK(files.size() == 10);
    for (const auto& [name, content] : files) {
        INFO(name);
        CHECK(name.find(" (") == std::string::npos);
    }
    auto again = photosync_cli(sync_args(tmp / "src", tmp / "out", "R"), tmp.path());
    CHECK_THAT(again.out, Catch::StartsWith("succeeded: 0 of 0 files uploaded") &&
                              Catch::Contains("10 unchanged"));
}

TEST_CASE("a second run of the same album waits for none: it stops with a clear line",
          "[concurrency]") {
    test::TempDir tmp;
    make_tree(tmp / "src", 3);
    REQUIRE(photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path()).exit_code == 0);
    // Hold the album's lock as a running photosync would.
    fs::path lock_dir = tmp / "state/photosync/locks";
    REQUIRE(fs::is_directory(lock_dir));
    auto lock_file = fs::directory_iterator(lock_dir)->path();
    int fd = ::open(lock_file.c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    REQUIRE(::pwrite(fd, "4242\n", 5, 0) == 5);
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    ::close(fd);
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "another photosync run (pid 4242) is syncing album 'A'");
}

TEST_CASE("a corrupt state file is set aside with one line and exit 2") {
    test::TempDir tmp;
    make_tree(tmp / "src", 2);
    fs::create_directories(tmp / "state/photosync");
    std::ofstream(tmp / "state/photosync/photosync.db")
        << "SQLite format 3" << std::string(4000, 'z');
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "is corrupt; it was moved to");
    CHECK_FALSE(fs::exists(tmp / "out/A"));  // nothing was uploaded
}

TEST_CASE("a state dir that cannot be written is a clear error before any upload") {
    test::TempDir tmp;
    make_tree(tmp / "src", 2);
    std::ofstream(tmp / "not-a-dir").close();
    test::ProcessOptions options;
    options.env["XDG_STATE_HOME"] = (tmp / "not-a-dir").string();
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path(), options);
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "cannot be created");
    CHECK_FALSE(fs::exists(tmp / "out/A"));
}

TEST_CASE("a full disk under the state dir is a clear error before any upload") {
    test::TempDir tmp;
    make_tree(tmp / "src", 2);
    fs::create_directories(tmp / "tiny");
    if (::mount("tmpfs", (tmp / "tiny").c_str(), "tmpfs", 0, "size=512k") != 0) {
        WARN("cannot mount a tmpfs here (not root?): full-disk test not run");
        return;
    }
    test::ProcessOptions options;
    options.env["XDG_STATE_HOME"] = (tmp / "tiny").string();
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path(), options);
    ::umount((tmp / "tiny").c_str());
    CHECK(r.exit_code == 2);
    check_one_line(r.err, "free: free some space and run again");
    CHECK_FALSE(fs::exists(tmp / "out/A"));
}

TEST_CASE("a dry run lists what would go up and changes nothing") {
    test::TempDir tmp;
    make_tree(tmp / "src", 4);
    auto args = sync_args(tmp / "src", tmp / "out", "A");
    args.push_back("--dry-run");
    auto r = photosync_cli(args, tmp.path());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("would upload: d0/IMG_1000.jpg") &&
                          Catch::Contains("dry run: would upload 4 files"));
    CHECK_FALSE(fs::exists(tmp / "out/A"));
    CHECK_FALSE(fs::exists(tmp / "state/photosync/photosync.db"));
}

TEST_CASE("include and exclude globs choose items by name or path") {
    test::TempDir tmp;
    make_tree(tmp / "src", 10);
    test::write_media(tmp / "src/clip.mp4", test::Fake::mp4, 3000, 5);
    auto args = sync_args(tmp / "src", tmp / "out", "A");
    args.insert(args.end(), {"--include", "*.jpg", "--exclude", "d1/*"});
    auto r = photosync_cli(args, tmp.path());
    CHECK(r.exit_code == 0);
    auto files = album_files(tmp / "out/A");
    CHECK(files.size() == 8);
    CHECK_FALSE(files.contains("clip.mp4"));
    CHECK_FALSE(files.contains("IMG_1001.jpg"));
}

TEST_CASE("photosync status and verify report what the ledger knows") {
    test::TempDir tmp;
    make_tree(tmp / "src", 5);
    test::write_media(tmp / "src/broken.jpg", test::Fake::text, 300, 1);
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "A"), tmp.path());
    CHECK(r.exit_code == 1);
    auto status = photosync_cli({"status", "A"}, tmp.path());
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("in album: 5") && Catch::Contains("failed: 1") &&
                               Catch::Contains("broken.jpg: not a photo or video"));
    auto ok =
        photosync_cli({"verify", "A", "--to", "folder:" + (tmp / "out").string()}, tmp.path());
    CHECK(ok.exit_code == 0);
    CHECK_THAT(ok.out, Catch::StartsWith("ok: 5 items"));
    fs::remove(tmp / "out/A/IMG_1003.jpg");
    auto missing =
        photosync_cli({"verify", "A", "--to", "folder:" + (tmp / "out").string()}, tmp.path());
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.out, Catch::Contains("missing: d3/IMG_1003.jpg"));
}

TEST_CASE("album per folder: one album per subfolder, none for an empty root") {
    test::TempDir tmp;
    test::write_media(tmp / "Trips/Rome/a.jpg", test::Fake::jpeg, 2000, 1);
    test::write_media(tmp / "Trips/Rome/day2/b.jpg", test::Fake::jpeg, 2100, 2);
    test::write_media(tmp / "Trips/Oslo/c.jpg", test::Fake::jpeg, 2200, 3);
    auto args = sync_args(tmp / "Trips", tmp / "out", "{parent} - {folder}");
    args.push_back("--album-per-folder");
    auto r = photosync_cli(args, tmp.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(album_files(tmp / "out/Trips - Rome").size() == 2);  // subfolders of Rome included
    CHECK(album_files(tmp / "out/Trips - Oslo").size() == 1);
    CHECK_FALSE(fs::exists(tmp / "out/Trips - Trips"));  // no files at the root: no album
    test::write_media(tmp / "Trips/loose.jpg", test::Fake::jpeg, 2300, 4);
    auto again = photosync_cli(args, tmp.path());
    CHECK(again.exit_code == 0);
    CHECK(album_files(tmp / "out/Trips - Trips").size() == 1);
    CHECK(album_files(tmp / "out/Trips - Rome").size() == 2);  // nothing uploaded twice
}

TEST_CASE("a run that adds nothing leaves no empty album behind") {
    test::TempDir tmp;
    test::write_media(tmp / "src/bad.jpg", test::Fake::text, 300, 1);
    auto r = photosync_cli(sync_args(tmp / "src", tmp / "out", "Empty"), tmp.path());
    CHECK(r.exit_code == 1);
    CHECK_FALSE(fs::exists(tmp / "out/Empty"));
}
