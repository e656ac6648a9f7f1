// photosync watch against the emulator: the real CLI as a child process,
// files created while it runs, the folder renamed away and back (as a NAS
// share unmounted and remounted), and the emulator's album as the judge.
#include <atomic>
#include <mutex>
#include <thread>

#include "gphotos_cli.hpp"

using namespace photosync;
using namespace photosync::test;
namespace fs = std::filesystem;

namespace {

// `photosync watch` running in the background while the test acts on the folder.
class Watching {
  public:
    Watching(Cli& cli, std::vector<std::string> args) {
        ProcessOptions o;
        o.terminate_when = [this](const ProcessResult& so_far) {
            std::lock_guard lock(mutex_);
            out_ = so_far.out;
            err_ = so_far.err;
            return stop_.load();
        };
        thread_ = std::thread([this, &cli, args = std::move(args), o] {
            auto r = cli.run(args, {}, o);
            std::lock_guard lock(mutex_);
            result_ = std::move(r);
            ended_ = true;
        });
    }
    ~Watching() {
        stop_ = true;
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    // Waits until stdout or stderr contains `text`; false after `timeout`.
    bool wait_for_output(const std::string& text,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            {
                std::lock_guard lock(mutex_);
                if (out_.find(text) != std::string::npos || err_.find(text) != std::string::npos ||
                    ended_) {
                    return !ended_;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    // Waits until the watch has said nothing for `quiet` (its last sync, and
    // the follow-up look a settle time later, are over); false after `timeout`.
    bool wait_until_quiet(std::chrono::milliseconds quiet,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        auto until = std::chrono::steady_clock::now() + timeout;
        std::string last;
        auto since = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() < until) {
            std::string now;
            {
                std::lock_guard lock(mutex_);
                now = out_ + err_;
            }
            if (now != last) {
                last = std::move(now);
                since = std::chrono::steady_clock::now();
            } else if (std::chrono::steady_clock::now() - since >= quiet) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }
    // SIGTERM, then the whole run.
    ProcessResult stop() {
        stop_ = true;
        thread_.join();
        return result_;
    }
    std::string output() {
        std::lock_guard lock(mutex_);
        return out_ + err_;
    }

  private:
    std::mutex mutex_;
    std::string out_, err_;
    std::atomic<bool> stop_{false};
    bool ended_ = false;
    ProcessResult result_;
    std::thread thread_;
};

std::size_t album_size(GphotosFixture& f, const std::string& title) {
    auto album = the_album(f, title);
    return album.contains("mediaItemIds") ? album["mediaItemIds"].size() : 0;
}

// Polls the emulator until the album holds `n` items; false after `timeout`.
bool wait_for_album(GphotosFixture& f, const std::string& title, std::size_t n,
                    std::chrono::seconds timeout = std::chrono::seconds(40)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (album_size(f, title) >= n) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}

json media_item(GphotosFixture& f, const std::string& name) {
    for (const auto& m : f.control("GET", "/__emulator/mediaItems")) {
        if (m["filename"] == name) {
            return m;
        }
    }
    return json();
}

}  // namespace

TEST_CASE("watch uploads files created while it runs, and one written slowly arrives whole, once") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 2);  // there before the watch: the catch-up sends them
    fs::create_directory(folder / "day1");

    Watching w(cli, {"watch", folder.path().string(), "Watched", "--settle", "1.5"});
    REQUIRE(w.wait_for_output("watching "));
    REQUIRE(wait_for_album(f, "Watched", 2));

    photos(folder.path(), 10, 13);          // three at once
    photos(folder / "day1", 20, 21);        // in a subfolder that was there at the start
    fs::create_directory(folder / "day2");  // a subfolder made while watching
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    photos(folder / "day2", 30, 31);

    // Written in six pieces 0.6 s apart (3 s in all, longer than the settle
    // time, each pause shorter): a sync that took it early would send a part.
    TempDir scratch;
    write_media(scratch / "slow.jpg", Fake::jpeg, 600'000, 7);
    const auto whole = read_file(scratch / "slow.jpg");
    {
        std::ofstream out(folder / "slow.jpg", std::ios::binary);
        const std::size_t piece = whole.size() / 6;
        for (std::size_t off = 0; off < whole.size(); off += piece) {
            out.write(whole.data() + off,
                      static_cast<std::streamsize>(std::min(piece, whole.size() - off)));
            out.flush();
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
        }
    }
    bool all_there = wait_for_album(f, "Watched", 8);
    std::this_thread::sleep_for(std::chrono::seconds(3));  // time for a duplicate to show up
    auto r = w.stop();
    INFO(r.out << r.err);
    REQUIRE(all_there);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("watching " + folder.path().string()) &&
                          Catch::Contains("stopped watching: 8 files uploaded"));
    check_each_file_once(f, "Watched", 8);
    auto slow = media_item(f, "slow.jpg");
    REQUIRE_FALSE(slow.is_null());
    CHECK(slow["size"] == whole.size());  // whole, never a part
}

TEST_CASE("watch survives its folder going away and coming back, then uploads what is new") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir base;
    const auto folder = base / "share";
    const auto away = base / "share.unmounted";
    fs::create_directory(folder);
    photos(folder, 0, 1);

    // The job from the config file, its settle time too (config key `settle`).
    std::ofstream(base / "config.toml") << "[jobs.share]\nfolder = \"" << folder.string()
                                        << "\"\nalbum = \"Share\"\nsettle = 0.5\n";
    Watching w(cli, {"watch", "--job", "share", "--poll", "0.2", "--config",
                     (base / "config.toml").string()});
    REQUIRE(w.wait_for_output("once unchanged for 0.5 s"));
    REQUIRE(wait_for_album(f, "Share", 1));

    fs::rename(folder, away);  // the share goes away
    bool said_gone = w.wait_for_output("was moved away: waiting for it to come back");
    photos(away, 1, 2);  // added while it was away: the catch-up finds it
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    CHECK(album_size(f, "Share") == 1);
    fs::rename(away, folder);  // and comes back
    bool said_back = w.wait_for_output("is back: catching up");
    bool caught_up = wait_for_album(f, "Share", 2);
    photos(folder, 2, 3);  // after the remount: the new watches see it
    fs::create_directory(folder / "later");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    photos(folder / "later", 3, 4);
    bool after = wait_for_album(f, "Share", 4);
    // A SIGTERM during a sync is exit 130 (cut short): stop once it is idle.
    bool idle = w.wait_until_quiet(std::chrono::milliseconds(1500));
    auto r = w.stop();
    INFO(r.out << r.err);
    CHECK(said_gone);
    CHECK(said_back);
    CHECK(caught_up);
    CHECK(after);
    CHECK(idle);
    CHECK(r.exit_code == 0);
    check_each_file_once(f, "Share", 4);
}

TEST_CASE("watch refuses a folder that does not exist, in one line, exit 2") {
    GphotosFixture f;
    Cli cli(f);
    TempDir base;
    auto r = cli.run({"watch", (base / "nowhere").string(), "Album"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("does not exist") && Catch::Contains("nowhere"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

TEST_CASE("watch --bwlimit holds its uploads to the rate, and a bad rate is one line, exit 2") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    constexpr std::size_t kSize = 512 * 1024;
    for (int i = 0; i < 4; ++i) {  // 2 MiB, there before the watch: the catch-up sends them
        write_media(folder / ("big_" + std::to_string(i) + ".jpg"), Fake::jpeg, kSize, 40 + i);
    }
    auto start = std::chrono::steady_clock::now();
    Watching w(cli, {"watch", folder.path().string(), "Paced", "--settle", "0.2", "--jobs", "4",
                     "--bwlimit", "1M"});
    REQUIRE(wait_for_album(f, "Paced", 4));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto r = w.stop();
    INFO(r.out << r.err << "\nelapsed " << seconds << " s");
    CHECK(r.exit_code == 0);
    check_each_file_once(f, "Paced", 4);
    // 2 MiB at 1 MiB/s: 2 s, less the bucket's tenth of a second; loopback
    // without a limit takes well under a second.
    CHECK(seconds >= 1.8);

    auto bad = cli.run({"watch", folder.path().string(), "Paced", "--bwlimit", "fast"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::StartsWith("photosync: bad bandwidth limit 'fast'"));
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    ProcessOptions o;
    o.env["HOME"] = cli.home.path().string();
    auto serve = run_process(PHOTOSYNC_TEST_CLI,
                             {"serve", "--listen", "127.0.0.1:0", "--bwlimit", "fast"}, o);
    CHECK(serve.exit_code == 2);
    CHECK_THAT(serve.err, Catch::StartsWith("photosync: bad bandwidth limit 'fast'"));
}
