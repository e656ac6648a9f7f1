// The `local` source on a generated tree, loaded as the real plugin.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>

#include "media_files.hpp"
#include "photosync/sdk/source_actions.hpp"
#include "plugin_harness.hpp"
#include "temp_dir.hpp"
#include "unprivileged.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using photosync::test::Fake;

namespace {

struct Listing {
    std::vector<sdk::SourceItem> items;
    std::vector<sdk::ScanProblem> problems;
};

sdk::awaitable<sdk::Result<Listing>> list_all(sdk::Source& source) {
    auto lister = co_await source.list();
    if (!lister) {
        co_return std::unexpected(lister.error());
    }
    Listing out;
    for (;;) {
        auto entry = co_await (*lister)->next();
        if (!entry) {
            co_return std::unexpected(entry.error());
        }
        if (!*entry) {
            break;
        }
        if (auto* item = std::get_if<sdk::SourceItem>(&**entry)) {
            out.items.push_back(*item);
        } else {
            out.problems.push_back(std::get<sdk::ScanProblem>(**entry));
        }
    }
    co_return out;
}

// Reads an item's whole content in chunks, as a destination would; `opened`
// runs between the open and the first read.
sdk::awaitable<sdk::Result<std::string>> read_all(
    sdk::Source& source, sdk::SourceItem item, std::size_t chunk = 4096,
    const std::function<void()>& opened = [] {}) {
    auto stream = co_await source.open(item);
    if (!stream) {
        co_return std::unexpected(stream.error());
    }
    opened();
    std::string content;
    std::vector<std::byte> buf(chunk);
    for (;;) {
        auto n = co_await (*stream)->read(buf);
        if (!n) {
            co_return std::unexpected(n.error());
        }
        if (*n == 0) {
            break;
        }
        content.append(reinterpret_cast<const char*>(buf.data()), *n);
    }
    co_return content;
}

// The folders a read can come from: the disk (read from the page cache when
// it can, else on the blocking executor) and, where there is one, a tmpfs.
std::vector<std::unique_ptr<test::TempDir>> disk_and_memory_folders() {
    std::vector<std::unique_ptr<test::TempDir>> dirs;
    dirs.push_back(std::make_unique<test::TempDir>());
    struct statfs fs {};
    if (::statfs("/dev/shm", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
        ::access("/dev/shm", W_OK) == 0) {
        dirs.push_back(std::make_unique<test::TempDir>("/dev/shm"));
    }
    return dirs;
}

// Drops a file's pages from the page cache, so reading it needs the disk.
void evict_from_page_cache(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
}

std::shared_ptr<sdk::Source> make_local(test::PluginHarness& h, const fs::path& root) {
    sdk::PluginConfig config;
    config.location = root.string();
    auto source = h.registry.make_source("local", h.context(), config);
    REQUIRE(source);
    return *source;
}

// The items `source` lists, which must be `count`.
std::vector<sdk::SourceItem> listed_items(test::PluginHarness& h, sdk::Source& source,
                                          std::size_t count) {
    auto listing = h.run(list_all(source));
    REQUIRE(listing);
    REQUIRE(listing->items.size() == count);
    return listing->items;
}

}  // namespace

TEST_CASE("the local source lists a messy tree in a stable order and streams each item") {
    test::TempDir tmp;
    auto root = tmp / "photos";
    const std::string long_name = std::string(250, 'l') + ".jpg";  // 254 bytes: near NAME_MAX
    const std::string non_utf8 = "bad\xff.jpg";
    test::write_media(root / "a.jpg", Fake::jpeg, 5000, 1);
    test::write_media(root / non_utf8, Fake::jpeg, 3000, 2);
    test::write_media(root / "fake.jpg", Fake::text, 100, 3);  // named like a photo, is text
    test::write_media(root / long_name, Fake::png, 2000, 4);
    test::write_media(root / "nested/b.png", Fake::png, 7000, 5);
    test::write_media(root / "nested/deeper/c.jpg", Fake::jpeg, 70000, 6);
    test::write_media(root / "unreadable.jpg", Fake::jpeg, 1000, 7);
    test::write_media(root / "unreadable_dir/d.jpg", Fake::jpeg, 1000, 8);
    test::write_media(root / "video.mp4", Fake::mp4, 300000, 9);
    test::write_media(root / "Été/日本.jpg", Fake::jpeg, 1234, 10);
    std::ofstream(root / "zero.jpg").close();                      // empty
    test::write_media(root / "notes.txt", Fake::text, 50, 11);     // not media
    test::write_media(root / "a.xmp", Fake::text, 50, 12);         // sidecar
    test::write_media(root / ".DS_Store", Fake::text, 50, 13);     // OS metadata
    test::write_media(root / ".hidden.jpg", Fake::jpeg, 500, 14);  // hidden
    fs::create_symlink("..", root / "nested/loop");                // loop back to the root
    fs::create_symlink(".", root / "nested/self");                 // loop onto itself
    fs::create_symlink("missing.jpg", root / "dangling.jpg");      // dangling
    ::chmod((root / "unreadable.jpg").c_str(), 0);
    ::chmod((root / "unreadable_dir").c_str(), 0);

    test::PluginHarness h;
    auto source = make_local(h, root);
    test::Unprivileged as_nobody;  // root would read chmod-000 files anyway
    auto listing = h.run(list_all(*source));
    REQUIRE(listing);

    std::vector<std::string> paths;
    for (const auto& item : listing->items)
        paths.push_back(item.path);
    CHECK(paths == std::vector<std::string>{"a.jpg", non_utf8, "fake.jpg", long_name,
                                            "nested/b.png", "nested/deeper/c.jpg", "unreadable.jpg",
                                            "video.mp4", "Été/日本.jpg"});
    for (const auto& p : listing->problems)
        UNSCOPED_INFO(p.path << ": " << p.error.message);
    REQUIRE(listing->problems.size() == 2);
    CHECK(listing->problems[0].path == "unreadable_dir");
    CHECK(listing->problems[0].error.kind == sdk::ErrorKind::permission);
    CHECK(listing->problems[1].path == "zero.jpg");
    CHECK(listing->problems[1].error.kind == sdk::ErrorKind::invalid_input);
    CHECK_THAT(listing->problems[1].error.message, Catch::Contains("empty"));

    for (const auto& item : listing->items) {
        INFO(item.path);
        auto content = h.run(read_all(*source, item));
        if (item.path == "fake.jpg") {
            REQUIRE_FALSE(content);
            CHECK(content.error().kind == sdk::ErrorKind::invalid_input);
            CHECK_THAT(content.error().message, Catch::Contains("not a photo or video"));
        } else if (item.path == "unreadable.jpg") {
            REQUIRE_FALSE(content);
            CHECK(content.error().kind == sdk::ErrorKind::permission);
            CHECK_THAT(content.error().message, Catch::Contains("unreadable.jpg"));
        } else {
            REQUIRE(content);
            CHECK(content->size() == item.size);
            CHECK(*content == test::read_file(root / item.path));
        }
    }
    const auto& video = listing->items[7];
    CHECK(video.kind == sdk::MediaKind::video);
    CHECK(video.mime_type == "video/mp4");
    CHECK(listing->items[0].mime_type == "image/jpeg");
    CHECK(listing->items[0].mtime.time_since_epoch().count() > 0);
}

TEST_CASE("hidden files are offered when asked for") {
    test::TempDir tmp;
    test::write_media(tmp / ".hidden.jpg", Fake::jpeg, 500, 1);
    test::PluginHarness h;
    sdk::PluginConfig config;
    config.location = tmp.path().string();
    config.options.emplace("include_hidden", "true");
    auto source = h.registry.make_source("local", h.context(), config);
    REQUIRE(source);
    auto listing = h.run(list_all(**source));
    REQUIRE(listing);
    REQUIRE(listing->items.size() == 1);
    CHECK(listing->items[0].path == ".hidden.jpg");
}

TEST_CASE("a file that changes after listing is refused when opened") {
    test::TempDir tmp;
    test::write_media(tmp / "grow.jpg", Fake::jpeg, 1000, 1);
    test::PluginHarness h;
    auto source = make_local(h, tmp.path());
    auto listing = h.run(list_all(*source));
    REQUIRE(listing);
    REQUIRE(listing->items.size() == 1);
    test::write_media(tmp / "grow.jpg", Fake::jpeg, 2000, 1);
    auto content = h.run(read_all(*source, listing->items[0]));
    REQUIRE_FALSE(content);
    CHECK_THAT(content.error().message, Catch::Contains("changed size"));
}

TEST_CASE("content reads whole from memory, from the page cache and from the disk") {
    for (const auto& dir : disk_and_memory_folders()) {
        INFO("folder " << dir->path());
        test::write_media(*dir / "big.mp4", Fake::mp4, 3 * 1024 * 1024 + 17, 1);
        test::write_media(*dir / "small.jpg", Fake::jpeg, 300 * 1024, 2);
        test::PluginHarness h;
        auto source = make_local(h, dir->path());
        for (const auto& item : listed_items(h, *source, 2)) {
            INFO(item.path);
            const auto expected = test::read_file(*dir / item.path);
            for (std::size_t chunk : {std::size_t{1024 * 1024}, std::size_t{65536 + 3}}) {
                auto cached = h.run(read_all(*source, item, chunk));
                REQUIRE(cached);
                CHECK(*cached == expected);
                // The file out of the page cache: what readahead brings back is
                // read in place, the rest waits on the blocking executor.
                auto cold = h.run(read_all(*source, item, chunk,
                                           [&] { evict_from_page_cache(*dir / item.path); }));
                REQUIRE(cold);
                CHECK(*cold == expected);
            }
        }
    }
}

TEST_CASE("a file that grows or shrinks after it was opened is refused at its end") {
    for (const auto& dir : disk_and_memory_folders()) {
        INFO("folder " << dir->path());
        test::write_media(*dir / "grows.jpg", Fake::jpeg, 200 * 1024, 1);
        test::write_media(*dir / "shrinks.jpg", Fake::jpeg, 200 * 1024, 2);
        test::PluginHarness h;
        auto source = make_local(h, dir->path());
        const auto items = listed_items(h, *source, 2);
        auto grew = h.run(read_all(*source, items[0], 1024 * 1024, [&] {
            std::ofstream(*dir / "grows.jpg", std::ios::app) << "more bytes";
        }));
        REQUIRE_FALSE(grew);
        CHECK_THAT(grew.error().message,
                   Catch::Contains("grows.jpg") && Catch::Contains("grew while photosync"));
        auto shrank = h.run(read_all(*source, items[1], 1024 * 1024,
                                     [&] { fs::resize_file(*dir / "shrinks.jpg", 1000); }));
        REQUIRE_FALSE(shrank);
        CHECK_THAT(shrank.error().message,
                   Catch::Contains("shrinks.jpg") && Catch::Contains("shrank while photosync"));
    }
}

TEST_CASE("a missing folder or a file given as the folder is refused at creation") {
    test::TempDir tmp;
    test::write_media(tmp / "a.jpg", Fake::jpeg, 100, 1);
    test::PluginHarness h;
    sdk::PluginConfig config;
    config.location = (tmp / "nope").string();
    auto missing = h.registry.make_source("local", h.context(), config);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == sdk::ErrorKind::not_found);
    CHECK_THAT(missing.error().message, Catch::Contains("does not exist"));
    config.location = (tmp / "a.jpg").string();
    auto file = h.registry.make_source("local", h.context(), config);
    REQUIRE_FALSE(file);
    CHECK_THAT(file.error().message, Catch::Contains("is a file, not a folder"));
}

TEST_CASE("settle_ms leaves out files written too recently, and offers them once they are quiet") {
    test::TempDir tmp;
    test::write_media(tmp / "old.jpg", Fake::jpeg, 500, 1);
    test::write_media(tmp / "fresh.jpg", Fake::jpeg, 500, 2);
    test::write_media(tmp / "future.jpg", Fake::jpeg, 500, 3);
    using namespace std::chrono;
    auto now = file_clock::now();
    fs::last_write_time(tmp / "old.jpg", now - minutes(5));
    fs::last_write_time(tmp / "future.jpg", now + hours(24 * 365));  // a camera's wrong clock
    test::PluginHarness h;
    sdk::PluginConfig config;
    config.location = tmp.path().string();
    config.options.emplace("settle_ms", "60000");
    auto source = h.registry.make_source("local", h.context(), config);
    REQUIRE(source);
    auto listing = h.run(list_all(**source));
    REQUIRE(listing);
    std::vector<std::string> paths;
    for (const auto& item : listing->items) {
        paths.push_back(item.path);
    }
    CHECK(paths == std::vector<std::string>{"future.jpg", "old.jpg"});
    CHECK(listing->problems.empty());

    fs::last_write_time(tmp / "fresh.jpg", now - minutes(2));  // now quiet for long enough
    listing = h.run(list_all(**source));
    REQUIRE(listing);
    CHECK(listing->items.size() == 3);

    config.options.insert_or_assign("settle_ms", "soon");
    auto bad = h.registry.make_source("local", h.context(), config);
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("settle_ms") && Catch::Contains("'soon'"));
}

// After upload (issue 11): the local source's SourceItemActions, found the
// way the engine finds them, through dynamic_cast on the loaded plugin.
TEST_CASE(
    "the local source moves and deletes files safely: never overwrites, never a changed "
    "file, and finishes a move a crash cut short") {
    test::PluginHarness h;
    test::TempDir tmp;
    auto root = tmp / "photos";
    auto dir = tmp / "moved";
    fs::create_directories(root / "day1");
    test::write_media(root / "day1" / "a.jpg", Fake::jpeg, 5000, 1);
    test::write_media(root / "b.jpg", Fake::jpeg, 5000, 2);
    test::write_media(root / "c.jpg", Fake::jpeg, 5000, 3);
    test::write_media(root / "d.jpg", Fake::jpeg, 5000, 4);
    test::write_media(root / "e.jpg", Fake::jpeg, 5000, 5);
    auto source = make_local(h, root);
    auto* actions = dynamic_cast<sdk::SourceItemActions*>(source.get());
    REQUIRE(actions != nullptr);
    auto listing = h.run(list_all(*source));
    REQUIRE(listing);
    std::map<std::string, sdk::SourceItem> item;
    for (const auto& i : listing->items) {
        item[i.path] = i;
    }
    REQUIRE(item.size() == 5);
    const auto a = test::read_file(root / "day1" / "a.jpg");

    // DIR inside the folder: refused, and not created.
    auto inside = actions->prepare_move((root / "done").string());
    REQUIRE_FALSE(inside);
    CHECK(inside.error().kind == sdk::ErrorKind::invalid_input);
    CHECK_FALSE(fs::exists(root / "done"));
    REQUIRE(actions->prepare_move(dir.string()));
    CHECK(fs::is_directory(dir));

    // A move keeps the relative path and the mtime.
    auto mtime = fs::last_write_time(root / "day1" / "a.jpg");
    REQUIRE(h.run(actions->move_item(item["day1/a.jpg"], dir.string())));
    CHECK_FALSE(fs::exists(root / "day1" / "a.jpg"));
    CHECK(test::read_file(dir / "day1" / "a.jpg") == a);
    CHECK(fs::last_write_time(dir / "day1" / "a.jpg") == mtime);

    // A name taken under DIR by other bytes: both files stay as they are.
    test::write_media(dir / "b.jpg", Fake::jpeg, 5000, 99);
    const auto theirs = test::read_file(dir / "b.jpg");
    auto clash = h.run(actions->move_item(item["b.jpg"], dir.string()));
    REQUIRE_FALSE(clash);
    CHECK(clash.error().kind == sdk::ErrorKind::conflict);
    CHECK_THAT(clash.error().message, Catch::Contains("never overwrites"));
    CHECK(fs::exists(root / "b.jpg"));
    CHECK(test::read_file(dir / "b.jpg") == theirs);

    // The same bytes already under DIR (a crash after the copy): only the
    // source copy is removed.
    fs::copy_file(root / "c.jpg", dir / "c.jpg");
    REQUIRE(h.run(actions->move_item(item["c.jpg"], dir.string())));
    CHECK_FALSE(fs::exists(root / "c.jpg"));
    CHECK(fs::exists(dir / "c.jpg"));

    // A file changed since it was listed is neither moved nor deleted.
    fs::last_write_time(root / "d.jpg",
                        fs::last_write_time(root / "d.jpg") + std::chrono::hours(1));
    auto changed = h.run(actions->move_item(item["d.jpg"], dir.string()));
    REQUIRE_FALSE(changed);
    CHECK(changed.error().kind == sdk::ErrorKind::conflict);
    auto changed_delete = h.run(actions->remove_item(item["d.jpg"]));
    REQUIRE_FALSE(changed_delete);
    CHECK(fs::exists(root / "d.jpg"));
    CHECK_FALSE(fs::exists(dir / "d.jpg"));

    // Delete removes the file, and only it.
    REQUIRE(h.run(actions->remove_item(item["e.jpg"])));
    CHECK_FALSE(fs::exists(root / "e.jpg"));
    CHECK(fs::exists(root / "d.jpg"));
    // No temporary file is left behind anywhere.
    for (const auto& e : fs::recursive_directory_iterator(tmp.path())) {
        CHECK_FALSE(e.path().filename().string().starts_with(".photosync-partial-"));
    }
}
