// The rest of issue 10's bad-input matrix, through the real `photosync sync`
// into the emulator: odd files and folders on the local side, a revoked
// sign-in, and broken replies from the server. Each case asserts the one line
// that names the thing (and what to do), the exit code, and that the album
// ends with every good file exactly once.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "gphotos_cli.hpp"
#include "one_line.hpp"

using namespace photosync;
using namespace photosync::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return lines;
}

// What photosync said on stderr, without the `progress:` lines a run of more
// than 100 ms prints off a terminal.
std::string messages(const std::string& err) {
    std::string out;
    for (const auto& line : lines_of(err)) {
        if (!line.starts_with("progress: ")) {
            out += line + "\n";
        }
    }
    return out;
}

// The summary's line for one failed item ("  NAME: why"): the only line of
// the output that names it.
std::string failure_line(const ProcessResult& r, const std::string& name) {
    std::vector<std::string> hits;
    for (const auto& line : lines_of(r.out + messages(r.err))) {
        if (line.find(name) != std::string::npos) {
            hits.push_back(line);
        }
    }
    INFO(r.out << r.err);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].starts_with("  " + name + ": "));
    return hits[0];
}

// Everything went well: nothing on stderr, a one-line summary on stdout.
void check_clean_run(const ProcessResult& r, int uploaded) {
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(messages(r.err).empty());
    REQUIRE(lines_of(r.out).size() == 1);
    CHECK_THAT(r.out, Catch::StartsWith("succeeded: " + std::to_string(uploaded) + " of " +
                                        std::to_string(uploaded) + " files uploaded"));
}

// A file the size of `size` with real JPEG/MP4 magic, sparse: nothing of it
// is on disk and nothing need be read.
void sparse_media(const fs::path& path, Fake kind, std::uint64_t size) {
    write_media(path, kind, 64, 1);
    fs::resize_file(path, size);
}

void chown_tree(const fs::path& root, uid_t uid, gid_t gid) {
    REQUIRE(::lchown(root.c_str(), uid, gid) == 0);
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        REQUIRE(::lchown(e.path().c_str(), uid, gid) == 0);
    }
}

// The CLI as the unprivileged user `nobody` (through setpriv) when the tests
// run as root, who reads every file whatever its mode. Its home, sign-in and
// ledger are handed over to nobody first.
ProcessResult run_unprivileged(Cli& cli, std::vector<std::string> args) {
    auto opts = cli.f.cli_options();
    args.insert(args.end(), opts.begin(), opts.end());
    ProcessOptions o;
    o.env["HOME"] = cli.home.path().string();
    o.env["XDG_STATE_HOME"] = (cli.home / "state").string();
    o.env["PHOTOSYNC_PLUGIN_PATH"] = "";
    o.timeout = std::chrono::seconds(150);
    if (::geteuid() != 0) {
        return run_process(PHOTOSYNC_TEST_CLI, args, o);
    }
    constexpr uid_t nobody = 65534;
    chown_tree(cli.home.path(), nobody, nobody);
    std::vector<std::string> setpriv{"--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                     PHOTOSYNC_TEST_CLI};
    setpriv.insert(setpriv.end(), args.begin(), args.end());
    REQUIRE(fs::exists("/usr/bin/setpriv"));  // util-linux: essential on Debian
    return run_process("/usr/bin/setpriv", setpriv, o);
}

// Runs the CLI and calls `act` once, as soon as the emulator has received
// the first bytes of an upload (the run is then mid-upload).
ProcessResult run_acting_mid_upload(GphotosFixture& f, Cli& cli, std::vector<std::string> args,
                                    const std::function<void()>& act) {
    bool done = false;
    ProcessOptions o;
    o.kill_when = [&](const ProcessResult&) {
        if (!done && f.stats()["upload_bytes"].get<std::uint64_t>() > 0) {
            act();
            done = true;
        }
        return false;
    };
    auto r = cli.run(std::move(args), {}, o);
    INFO(r.out << r.err);
    CHECK(done);
    return r;
}

json media_item_named(GphotosFixture& f, const std::string& name) {
    json found;
    for (const auto& m : f.control("GET", "/__emulator/mediaItems")) {
        if (m["filename"] == name) {
            CHECK(found.is_null());
            found = m;
        }
    }
    return found;
}

}  // namespace

// ---- the local side ---------------------------------------------------------

TEST_CASE("an empty folder is one line saying so, exit 0, and no album") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    fs::create_directories(folder / "empty subfolder");
    std::ofstream(folder / ".hidden.jpg") << "hidden files are skipped";
    write_media(folder / "notes.txt", Fake::text, 300, 1);
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Nothing"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(messages(r.err).empty());
    REQUIRE(lines_of(r.out).size() == 1);
    CHECK_THAT(r.out, Catch::StartsWith("nothing to upload: no photos or videos in " +
                                        folder.path().string()));
    CHECK(f.control("GET", "/__emulator/albums").empty());  // no empty album left behind
    CHECK(upload_requests(f.stats()) == 0);
}

TEST_CASE("an unreadable file fails alone, named, and the rest land") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 3);
    write_media(folder / "locked.jpg", Fake::jpeg, 5000, 99);
    REQUIRE(::chmod((folder / "locked.jpg").c_str(), 0) == 0);
    reset_stats(f);
    auto r = run_unprivileged(cli, {"sync", folder.path().string(), "Locked"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    auto line = failure_line(r, "locked.jpg");
    CHECK_THAT(line, Catch::Contains("Permission denied"));
    check_each_file_once(f, "Locked", 3);
    CHECK(GphotosFixture::requests(f.stats(), "uploads.raw") == 3);  // nothing of it was sent
}

TEST_CASE("a corrupt or non-media file is refused before upload, named, and the rest land") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 3);
    write_media(folder / "notes.jpg", Fake::text, 4000, 1);           // text named like a photo
    std::ofstream(folder / "zeroed.mp4") << std::string(5000, '\0');  // its header wiped out
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Corrupt"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    for (const auto* name : {"notes.jpg", "zeroed.mp4"}) {
        CHECK_THAT(failure_line(r, name), Catch::Contains("not a photo or video") &&
                                              Catch::Contains("(corrupt, or misnamed?)"));
    }
    check_each_file_once(f, "Corrupt", 3);
    CHECK(GphotosFixture::requests(f.stats(), "uploads.raw") == 3);  // not a byte of them
}

TEST_CASE("a photo over 200 MB and a video over 20 GB are refused before upload") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 2);
    constexpr std::uint64_t photo_limit = 200ULL << 20, video_limit = 20ULL << 30;
    sparse_media(folder / "huge.jpg", Fake::jpeg, photo_limit + 1);
    sparse_media(folder / "long.mp4", Fake::mp4, video_limit + 1);
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Too big"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(failure_line(r, "huge.jpg"),
               Catch::Contains("too large for Google Photos") && Catch::Contains("200 MB"));
    // The engine stops it first, before opening it, against the destination's
    // largest item.
    CHECK_THAT(failure_line(r, "long.mp4"),
               Catch::Contains("too large for gphotos") &&
                   Catch::Contains(": 20.0 GB, and it takes items of at most 20.0 GB"));
    check_each_file_once(f, "Too big", 2);
    auto s = f.stats();
    CHECK(GphotosFixture::requests(s, "uploads.raw") == 2);  // not a byte of the big ones
    CHECK(s["upload_bytes"].get<std::uint64_t>() < 10000);
}

TEST_CASE("a 300-character path and 255-byte names go up once, named in full") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    auto deep =
        folder.path() / std::string(100, 'd') / std::string(100, 'e') / std::string(100, 'f');
    const std::string ascii = std::string(251, 'n') + ".jpg";  // 255 bytes, NAME_MAX
    std::string accented;
    for (int i = 0; i < 125; ++i) {
        accented += "\xC3\xA9";  // é: 2 bytes, 1 character
    }
    accented += ".jpg";  // 254 bytes, 129 characters
    write_media(deep / "deep.jpg", Fake::jpeg, 3000, 1);
    write_media(folder / ascii, Fake::jpeg, 3001, 2);
    write_media(deep / accented, Fake::jpeg, 3002, 3);
    REQUIRE((deep / accented).string().size() - folder.path().string().size() > 500);
    auto r = cli.run({"sync", folder.path().string(), "Long names"});
    check_clean_run(r, 3);
    check_each_file_once(f, "Long names", 3);
    CHECK_FALSE(media_item_named(f, ascii).is_null());
    CHECK_FALSE(media_item_named(f, accented).is_null());
    reset_stats(f);
    auto again = cli.run({"sync", folder.path().string(), "Long names"});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK(upload_requests(f.stats()) == 0);
    check_each_file_once(f, "Long names", 3);
}

TEST_CASE("a file name that is not UTF-8 goes up once as valid UTF-8 and a re-run leaves it") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 2);
    const std::string latin1 = "caf\xE9.jpg";  // é in Latin-1: not UTF-8
    write_media(folder / latin1, Fake::jpeg, 4000, 7);
    auto r = cli.run({"sync", folder.path().string(), "Latin-1"});
    check_clean_run(r, 3);
    check_each_file_once(f, "Latin-1", 3);
    // Google gets valid UTF-8: the stray byte becomes U+FFFD.
    CHECK_FALSE(media_item_named(f, "caf\xEF\xBF\xBD.jpg").is_null());
    reset_stats(f);
    auto again = cli.run({"sync", folder.path().string(), "Latin-1"});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK(upload_requests(f.stats()) == 0);
    check_each_file_once(f, "Latin-1", 3);
}

TEST_CASE("symlink loops are walked once: each file goes up once") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    write_media(folder / "a.jpg", Fake::jpeg, 3000, 1);
    write_media(folder / "sub" / "b.jpg", Fake::jpeg, 3001, 2);
    fs::create_directory_symlink("..", folder / "sub" / "back");       // sub/back -> the folder
    fs::create_directory_symlink("../sub", folder / "sub" / "again");  // sub/again -> sub
    fs::create_symlink("loop2.jpg", folder / "loop1.jpg");             // a loop of two links
    fs::create_symlink("loop1.jpg", folder / "loop2.jpg");
    auto r = cli.run({"sync", folder.path().string(), "Loops"});
    check_clean_run(r, 2);
    check_each_file_once(f, "Loops", 2);
}

TEST_CASE("a file deleted during its upload still lands whole, one deleted before it is named") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    write_media(folder / "a_big.jpg", Fake::jpeg, 2'000'000, 1);
    write_media(folder / "b_small.jpg", Fake::jpeg, 3000, 2);
    const auto big = read_file(folder / "a_big.jpg");
    f.inject({{"bandwidth_bytes_per_s", 1'000'000}});  // about 2 s for the big one
    auto r =
        run_acting_mid_upload(f, cli, {"sync", folder.path().string(), "Deleted", "-j", "1"}, [&] {
            fs::remove(folder / "a_big.jpg");
            fs::remove(folder / "b_small.jpg");
        });
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(failure_line(r, "b_small.jpg"), Catch::Contains("No such file"));
    auto item = media_item_named(f, "a_big.jpg");
    REQUIRE_FALSE(item.is_null());
    CHECK(item["size"] == big.size());  // what was read when it was opened: all of it
    check_each_file_once(f, "Deleted", 1);
}

// The last read of a file probes one byte past its listed size: a file still
// being written is refused, never sent cut short (and added again, whole, by
// the next run). --bwlimit paces the reads, so the file grows before the last.
TEST_CASE("a file that grows during its upload is not sent half-done, the next run sends it") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 2);
    write_media(folder / "growing.jpg", Fake::jpeg, 2'000'000, 1);
    f.inject({{"bandwidth_bytes_per_s", 1'000'000}});
    auto r = run_acting_mid_upload(
        f, cli, {"sync", folder.path().string(), "Growing", "-j", "1", "--bwlimit", "500k"},
        [&] { std::ofstream(folder / "growing.jpg", std::ios::app) << std::string(5000, 'x'); });
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(failure_line(r, "growing.jpg"),
               Catch::Contains("grew while photosync was reading it") &&
                   Catch::Contains("picked up on the next run"));
    check_each_file_once(f, "Growing", 2);  // nothing of it went in
    (void)f.control("DELETE", "/__emulator/faults");
    auto again = cli.run({"sync", folder.path().string(), "Growing"});
    check_clean_run(again, 1);
    check_each_file_once(f, "Growing", 3);
    CHECK(media_item_named(f, "growing.jpg")["size"] == 2'005'000);
}

// ---- the sign-in --------------------------------------------------------------

TEST_CASE("a revoked sign-in stops the sync before any upload, in one line, exit 3") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 3);
    (void)f.control("POST", "/__emulator/oauth/revoke", {{"all", true}});
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Revoked"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    check_one_line(r.err, "photosync auth login");
    f.check_no_secrets(r.out + r.err);
    CHECK(upload_requests(f.stats()) == 0);
    CHECK(f.control("GET", "/__emulator/albums").empty());
    cli.login();
    auto again = cli.run({"sync", folder.path().string(), "Revoked"});
    check_clean_run(again, 3);
    check_each_file_once(f, "Revoked", 3);
}

// ---- broken replies from the server -----------------------------------------
// The emulator's reply faults damage the reply of a request it carried out:
// a lost batchCreate reply must be reconciled (the items are in the album),
// anything else retried. Each fault fires once unless said otherwise.

TEST_CASE(
    "malformed JSON from the server: a commit is reconciled, a cut upload token costs a run") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 4);
    f.inject({{"kind", "malformed_json"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    auto r = cli.run({"sync", folder.path().string(), "Malformed"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    check_one_line(messages(r.err), "reply cannot be read (not JSON)");
    CHECK_THAT(r.err, Catch::Contains("checking the album"));
    check_each_file_once(f, "Malformed", 4);

    // Half an upload token looks like a token: Google refuses it in batchCreate,
    // that item alone fails and goes up again on the next run.
    photos(folder.path(), 4, 6);
    f.inject({{"kind", "malformed_json"}, {"endpoint", "uploads.raw"}, {"count", 1}});
    auto cut = cli.run({"sync", folder.path().string(), "Malformed", "--jobs", "1"});
    INFO(cut.out << cut.err);
    CHECK(cut.exit_code == 1);
    CHECK_THAT(failure_line(cut, "img_004.jpg"),
               Catch::Contains("valid upload token") &&
                   Catch::Contains("it will be uploaded again on the next run"));
    check_each_file_once(f, "Malformed", 5);
    auto again = cli.run({"sync", folder.path().string(), "Malformed"});
    check_clean_run(again, 1);
    check_each_file_once(f, "Malformed", 6);
}

TEST_CASE(
    "a server that keeps sending malformed JSON is one line after the retries, nothing done") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 3);
    f.inject({{"kind", "malformed_json"}, {"endpoint", "albums.list"}});  // every time
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Garbled"});  // about 40 s of retries
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    check_one_line(messages(r.err),
                   "listing albums: Google Photos sent a reply that is not JSON; nothing is lost: "
                   "run the same command again later");
    CHECK(GphotosFixture::requests(f.stats(), "albums.list") == 6);  // the engine's 6 attempts
    CHECK(upload_requests(f.stats()) == 0);
    CHECK(f.control("GET", "/__emulator/albums").empty());
    (void)f.control("DELETE", "/__emulator/faults");
    auto again = cli.run({"sync", folder.path().string(), "Garbled"});
    check_clean_run(again, 3);
    check_each_file_once(f, "Garbled", 3);
}

TEST_CASE("a truncated reply from the server: a commit is reconciled, an upload sent again") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 4);
    f.inject({{"kind", "truncated_body"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    f.inject({{"kind", "truncated_body"}, {"endpoint", "uploads.raw"}, {"count", 1}});
    reset_stats(f);
    auto r = cli.run({"sync", folder.path().string(), "Truncated"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    check_one_line(messages(r.err), "the reply to a commit was lost");
    CHECK_THAT(r.err, Catch::Contains("checking the album"));
    check_each_file_once(f, "Truncated", 4);
    auto s = f.stats();
    CHECK(dropped(s, "uploads.raw") == 1);
    CHECK(dropped(s, "mediaItems.batchCreate") == 1);
    CHECK(GphotosFixture::requests(s, "uploads.raw") == 5);             // one sent again
    CHECK(GphotosFixture::requests(s, "mediaItems.batchCreate") == 1);  // never re-sent blindly
}

TEST_CASE("a web page instead of Google's reply: retried or reconciled, never taken for a token") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 4);
    // The album is made by the first try; the retry finds it instead of making another.
    f.inject({{"kind", "wrong_content_type"}, {"endpoint", "albums.create"}, {"count", 1}});
    f.inject(
        {{"kind", "wrong_content_type"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    auto r = cli.run({"sync", folder.path().string(), "Portal"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    check_one_line(messages(r.err), "the reply to a commit was lost");
    CHECK(f.control("GET", "/__emulator/albums").size() == 1);
    check_each_file_once(f, "Portal", 4);

    // A page in place of an upload token is not taken for one: the upload
    // is tried again in the same run (it used to cost the item a run).
    photos(folder.path(), 4, 6);
    reset_stats(f);
    f.inject({{"kind", "wrong_content_type"}, {"endpoint", "uploads.raw"}, {"count", 1}});
    auto page = cli.run({"sync", folder.path().string(), "Portal", "--jobs", "1"});
    INFO(page.out << page.err);
    check_clean_run(page, 2);
    CHECK(upload_requests(f.stats()) == 3);  // one upload sent twice
    check_each_file_once(f, "Portal", 6);
}

TEST_CASE("a huge reply body is refused at its cap, not read: a commit is reconciled") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 4);
    // 64 MiB of (valid) JSON where a few hundred bytes are due; the client reads 8-16 MiB at most.
    f.inject({{"kind", "huge_body"}, {"endpoint", "albums.list"}, {"count", 1}});
    f.inject({{"kind", "huge_body"}, {"endpoint", "mediaItems.batchCreate"}, {"count", 1}});
    auto r = cli.run({"sync", folder.path().string(), "Huge"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    check_one_line(messages(r.err), "the reply is larger than expected");
    CHECK_THAT(r.err, Catch::Contains("checking the album"));
    check_each_file_once(f, "Huge", 4);
    CHECK(GphotosFixture::requests(f.stats(), "mediaItems.batchCreate") == 1);
}
