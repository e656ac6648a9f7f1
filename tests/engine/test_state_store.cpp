// The ledger on a real SQLite file in a temporary folder.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "ledger_sql.hpp"
#include "state_schema.hpp"
#include "state_store.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;
using engine::ItemState;
using engine::StateStore;

namespace {
sdk::SourceItem item(const std::string& path, std::uint64_t size) {
    sdk::SourceItem i;
    i.path = path;
    i.size = size;
    i.mtime = sdk::TimePoint(std::chrono::seconds(1700000000));
    return i;
}
}  // namespace

TEST_CASE("a new state file gets the schema, WAL and photosync's application id") {
    test::TempDir tmp;
    auto file = tmp / "state/photosync.db";
    auto store = StateStore::open(file);
    REQUIRE(store);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    auto pragma = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
        sqlite3_step(st);
        std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return v;
    };
    CHECK(pragma("PRAGMA journal_mode") == "wal");
    CHECK(pragma("PRAGMA user_version") == std::to_string(engine::kStateSchemaVersion));
    CHECK(pragma("PRAGMA application_id") == std::to_string(engine::kStateApplicationId));
    CHECK(pragma("SELECT COUNT(*) FROM migrations") == std::to_string(engine::kStateSchemaVersion));
    sqlite3_close(db);
    // Opening again migrates nothing and keeps the data.
    auto target = store->target({"local:/a", "folder:/b", "Album"});
    REQUIRE(target);
    auto again = StateStore::open(file);
    REQUIRE(again);
    auto same = again->target({"local:/a", "folder:/b", "Album"});
    REQUIRE(same);
    CHECK(*same == *target);
}

TEST_CASE("an item moves staged -> committing -> committed, found by path, size and hash") {
    test::TempDir tmp;
    auto store = StateStore::open(tmp / "photosync.db");
    REQUIRE(store);
    auto t = *store->target({"local:/a", "folder:/b", "Album"});
    auto a = item("2026/a.jpg", 1234);
    REQUIRE(store->record_staged(t, a, "abc123",
                                 sdk::Receipt{"token-1", std::chrono::system_clock::now()}));
    auto e = store->find(t, "2026/a.jpg");
    REQUIRE(e);
    REQUIRE(*e);
    CHECK((*e)->state == ItemState::staged);
    CHECK((*e)->receipt == "token-1");
    CHECK((*e)->mtime_ns == engine::to_unix_ns(a.mtime));
    std::vector<sdk::StagedItem> batch{{a, {"token-1", {}}}};
    REQUIRE(store->record_committing(t, batch));
    CHECK(store->in_state(t, ItemState::committing)->size() == 1);
    REQUIRE(store->record_committed(t, a, "", "remote-9"));
    auto done = *store->find(t, "2026/a.jpg");
    CHECK(done->state == ItemState::committed);
    CHECK(done->sha256 == "abc123");  // kept when the commit does not repeat it
    CHECK(done->remote_id == "remote-9");
    CHECK(done->receipt.empty());
    CHECK(*store->has_committed_size(t, 1234));
    CHECK_FALSE(*store->has_committed_size(t, 1235));
    auto by_hash = store->find_committed_by_hash(t, "abc123");
    REQUIRE(*by_hash);
    CHECK((*by_hash)->path == "2026/a.jpg");
    CHECK(store->committed_remote_ids(t)->size() == 1);
}

TEST_CASE("paths are stored as raw bytes") {
    test::TempDir tmp;
    auto store = StateStore::open(tmp / "photosync.db");
    REQUIRE(store);
    auto t = *store->target({"s", "d", "A"});
    std::string raw("bad\xff\x00name.jpg", 13);
    REQUIRE(store->record_failed(t, item(raw, 5), "not a photo"));
    auto e = store->find(t, raw);
    REQUIRE(*e);
    CHECK((*e)->path == raw);
    CHECK((*e)->state == ItemState::failed);
}

TEST_CASE("a corrupt state file is set aside with a message, never silently reset") {
    test::TempDir tmp;
    auto file = tmp / "photosync.db";
    {
        std::ofstream out(file, std::ios::binary);
        out << "SQLite format 3" << std::string(1, '\0') << std::string(5000, 'x');
    }
    auto store = StateStore::open(file);
    REQUIRE_FALSE(store);
    CHECK_THAT(store.error().message,
               Catch::Contains("is corrupt; it was moved to " + file.string() + ".corrupt-"));
    CHECK_FALSE(fs::exists(file));
    bool aside = false;
    for (const auto& e : fs::directory_iterator(tmp.path())) {
        aside = aside || e.path().filename().string().starts_with("photosync.db.corrupt-");
    }
    CHECK(aside);
    CHECK(StateStore::open(file));  // the next run starts a new ledger
}

TEST_CASE("a state dir that cannot be created is a clear error") {
    test::TempDir tmp;
    std::ofstream(tmp / "file").close();
    auto store = StateStore::open(tmp / "file/sub/photosync.db");
    REQUIRE_FALSE(store);
    CHECK(store.error().kind == sdk::ErrorKind::permission);
    CHECK_THAT(store.error().message, Catch::Contains("cannot be created"));
}

// Cron overlap: two runs open a state file that does not exist yet at the same
// moment. SQLite returns "database is locked" at once, with no wait, when two
// connections both hold a read lock and both want to write (it would be a
// deadlock), and creating the schema and switching to WAL do exactly that.
TEST_CASE("processes opening a new state file at once all succeed") {
    for (int round = 0; round < 40; ++round) {
        test::TempDir tmp;
        auto file = tmp / "state/photosync.db";
        std::vector<pid_t> children;
        for (int i = 0; i < 6; ++i) {
            pid_t pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                ::usleep(static_cast<useconds_t>((round * 7 + i * 331) % 2000));
                auto store = StateStore::open(file);
                if (!store) {
                    std::fprintf(stderr, "%s\n", store.error().message.c_str());
                }
                std::_Exit(store ? 0 : 1);
            }
            children.push_back(pid);
        }
        int failed = 0;
        for (auto pid : children) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            failed += WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
        }
        INFO("round " << round);
        REQUIRE(failed == 0);
        auto store = StateStore::open(file);
        REQUIRE(store);
    }
}

// The per-item lookups go through their index, never through every item of
// the album: SQLite planned the size and hash lookups as a walk of the
// primary key's target_id prefix, and a 10,000-file run went quadratic.
TEST_CASE("the per-item ledger lookups are planned on their index") {
    test::TempDir tmp;
    auto file = tmp / "photosync.db";
    {
        auto store = StateStore::open(file);
        REQUIRE(store);
        auto t = *store->target({"local:/a", "folder:/b", "Album"});
        for (int i = 0; i < 300; ++i) {  // an album with items in it, all committed
            auto it = item("p/" + std::to_string(i) + ".jpg", 1000 + static_cast<std::uint64_t>(i));
            REQUIRE(store->record_committed(t, it, "hash" + std::to_string(i),
                                            "remote" + std::to_string(i)));
        }
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    auto plan = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, (std::string("EXPLAIN QUERY PLAN ") + sql).c_str(), -1, &st,
                                   nullptr) == SQLITE_OK);
        std::string out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            out += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
            out += "; ";
        }
        sqlite3_finalize(st);
        return out;
    };
    using namespace engine::ledger_sql;
    CHECK(plan(kFindByPath) == "SEARCH items USING PRIMARY KEY (target_id=? AND path=?); ");
    CHECK(plan(kFindCommittedByHash) ==
          "SEARCH items USING INDEX items_by_hash (target_id=? AND sha256=?); ");
    CHECK(plan(kHasCommittedSize) ==
          "SEARCH items USING INDEX items_by_size (target_id=? AND size=?); ");
    sqlite3_close(db);
}
