#include "state_store.hpp"

#include <sys/statvfs.h>

#include <chrono>
#include <system_error>
#include <utility>

#include "file_lock.hpp"
#include "ledger_sql.hpp"
#include "state_schema.hpp"

namespace photosync::engine {

namespace fs = std::filesystem;
using sdk::ErrorKind;

namespace {

// Below this much free space, a run could fill the disk with ledger writes.
constexpr std::uint64_t kMinFreeBytes = 8ULL << 20;
constexpr int kFailuresListed = 20;

sdk::Result<void> check(const sqlite::Database& db, int rc, std::string_view doing) {
    if (rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK) {
        return {};
    }
    return std::unexpected(db.error(doing));
}

std::string timestamp() {
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char buf[32];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

// Held while a process opens, checks and migrates the state file. SQLite
// answers "database is locked" at once, without its busy wait, when two
// connections both read and then both want to write (switching to WAL and
// creating the schema do that), so two runs started together (cron overlap)
// take turns here instead. Released as soon as the file is open.
//
// It waits up to `patience` for a turn (opening takes milliseconds; a
// process stopped while opening, say with Ctrl-Z, must not hang the rest
// silently). Without a lock file (a read-only folder) it goes on without
// one, and SQLite reports the real problem.
sdk::Result<FileLock> take_open_turn(const fs::path& db_file, std::chrono::milliseconds patience) {
    auto file = db_file;
    file += ".open-lock";
    auto lock = FileLock::open(file);
    if (!lock) {
        return FileLock{};
    }
    auto locked = lock->lock_within(patience);
    if (locked && !*locked) {
        return sdk::fail(ErrorKind::conflict,
                         "state file " + db_file.string() +
                             ": another photosync process has been opening it for " +
                             std::to_string(patience.count() / 1000) +
                             " s (stopped or hung?); let it finish or end it, then run again");
    }
    return lock;  // a lock that failed otherwise: go on, SQLite says what is wrong
}

constexpr auto kOpenPatience = std::chrono::seconds(30);

}  // namespace

std::int64_t to_unix_ns(sdk::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::int64_t unix_now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

fs::path StateStore::file_in(const fs::path& state_dir) {
    return state_dir / "photosync.db";
}

sdk::Result<StateStore> StateStore::open(const fs::path& file) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) {
        return sdk::fail(ErrorKind::permission, "state folder " + file.parent_path().string() +
                                                    " cannot be created (" + ec.message() +
                                                    "): make it writable or set XDG_STATE_HOME");
    }
    struct statvfs vfs {};
    if (::statvfs(file.parent_path().c_str(), &vfs) == 0) {
        std::uint64_t free_bytes = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
        if (free_bytes < kMinFreeBytes) {
            return sdk::fail(ErrorKind::io, "state folder " + file.parent_path().string() +
                                                " has only " + std::to_string(free_bytes / 1024) +
                                                " KB free: free some space and run again");
        }
    }
    auto turn = take_open_turn(file, kOpenPatience);
    if (!turn) {
        return std::unexpected(turn.error());
    }
    bool existed = fs::exists(file, ec);
    auto db = sqlite::Database::open(file, true);
    if (!db) {
        return std::unexpected(db.error());
    }
    StateStore store(std::move(*db));
    if (existed) {
        if (auto ok = store.check_integrity(); !ok) {
            // Set aside, never silently reset: the user decides what to do with it.
            auto aside = file;
            aside += ".corrupt-" + timestamp();
            store.db_ = sqlite::Database{};
            fs::rename(file, aside, ec);
            for (const char* suffix : {"-wal", "-shm"}) {
                auto side = file;
                side += suffix;
                fs::remove(side, ec);
            }
            return sdk::fail(ErrorKind::internal,
                             "state file " + file.string() + " is corrupt; it was moved to " +
                                 aside.string() +
                                 ". The next run starts a new ledger: items already in the "
                                 "album may be uploaded again");
        }
    }
    if (auto ok = store.migrate(); !ok) {
        return std::unexpected(ok.error());
    }
    return store;
}

sdk::Result<StateStore> StateStore::open_existing(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return sdk::fail(ErrorKind::not_found, "no state file yet (" + file.string() +
                                                   "): nothing has been synced as this user");
    }
    auto turn = take_open_turn(file, kOpenPatience);
    if (!turn) {
        return std::unexpected(turn.error());
    }
    auto db = sqlite::Database::open(file, false);
    if (!db) {
        return std::unexpected(db.error());
    }
    StateStore store(std::move(*db));
    if (auto ok = store.check_integrity(); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = store.migrate(); !ok) {
        return std::unexpected(ok.error());
    }
    return store;
}

sdk::Result<void> StateStore::check_integrity() {
    auto stmt = db_.prepare("PRAGMA application_id");
    if (int rc = stmt.step(); rc != SQLITE_ROW) {
        return std::unexpected(db_.error("read"));
    }
    auto app = stmt.integer(0);
    if (app != 0 && app != kStateApplicationId) {
        return sdk::fail(ErrorKind::internal,
                         "state file " + db_.path().string() + " belongs to another program");
    }
    auto quick = db_.prepare("PRAGMA quick_check");
    if (quick.step() != SQLITE_ROW || quick.text(0) != "ok") {
        return std::unexpected(db_.error("check"));
    }
    return {};
}

sdk::Result<void> StateStore::migrate() {
    // WAL: readers never block the writer, and a crash loses no committed transaction.
    for (const char* pragma :
         {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        auto stmt = db_.prepare(pragma);
        if (int rc = stmt.step(); rc != SQLITE_ROW && rc != SQLITE_DONE) {
            return std::unexpected(db_.error("open"));
        }
    }
    auto version_stmt = db_.prepare("PRAGMA user_version");
    if (version_stmt.step() != SQLITE_ROW) {
        return std::unexpected(db_.error("read"));
    }
    std::int64_t version = version_stmt.integer(0);
    version_stmt = {};
    if (version > kStateSchemaVersion) {
        return sdk::fail(ErrorKind::invalid_input,
                         "state file " + db_.path().string() +
                             " was written by a newer photosync (schema " +
                             std::to_string(version) + "); upgrade photosync");
    }
    for (std::int64_t v = version + 1; v <= kStateSchemaVersion; ++v) {
        auto applied = sqlite::transaction(db_, [&]() -> sdk::Result<void> {
            if (auto r =
                    db_.exec("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
                             "applied_at INTEGER NOT NULL)");
                !r) {
                return r;
            }
            if (auto r = db_.exec(kStateMigrations[static_cast<std::size_t>(v - 1)]); !r) {
                return r;
            }
            auto rec = db_.prepare("INSERT OR REPLACE INTO migrations VALUES (?, ?)");
            rec.bind(1, v).bind(2, unix_now_s());
            if (auto r = check(db_, rec.step(), "update"); !r) {
                return r;
            }
            return db_.exec("PRAGMA application_id=" + std::to_string(kStateApplicationId) +
                            "; PRAGMA user_version=" + std::to_string(v));
        });
        if (!applied) {
            return applied;
        }
    }
    return {};
}

sdk::Result<std::optional<std::int64_t>> StateStore::find_target(const TargetKey& key) {
    auto stmt = db_.prepare("SELECT id FROM targets WHERE source=? AND destination=? AND album=?");
    stmt.bind(1, key.source).bind(2, key.destination).bind(3, key.album);
    int rc = stmt.step();
    if (rc == SQLITE_ROW) {
        return std::optional<std::int64_t>(stmt.integer(0));
    }
    if (auto r = check(db_, rc, "read"); !r) {
        return std::unexpected(r.error());
    }
    return std::optional<std::int64_t>{};
}

sdk::Result<std::int64_t> StateStore::target(const TargetKey& key) {
    auto insert = db_.prepare(
        "INSERT INTO targets (source, destination, album) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    insert.bind(1, key.source).bind(2, key.destination).bind(3, key.album);
    if (auto r = check(db_, insert.step(), "update"); !r) {
        return std::unexpected(r.error());
    }
    auto id = find_target(key);
    if (!id) {
        return std::unexpected(id.error());
    }
    return id->value_or(0);
}

sdk::Result<std::string> StateStore::container_id(std::int64_t target) {
    auto stmt = db_.prepare("SELECT container_id FROM targets WHERE id=?");
    stmt.bind(1, target);
    int rc = stmt.step();
    if (rc == SQLITE_ROW) {
        return stmt.text(0);
    }
    if (auto r = check(db_, rc, "read"); !r) {
        return std::unexpected(r.error());
    }
    return std::string{};
}

sdk::Result<void> StateStore::set_container_id(std::int64_t target, std::string_view id) {
    auto stmt = db_.prepare("UPDATE targets SET container_id=? WHERE id=?");
    stmt.bind(1, id).bind(2, target);
    return check(db_, stmt.step(), "update");
}

sdk::Result<std::vector<LedgerEntry>> StateStore::query_entries(sqlite::Statement& stmt) {
    std::vector<LedgerEntry> out;
    for (;;) {
        int rc = stmt.step();
        if (rc == SQLITE_DONE) {
            return out;
        }
        if (rc != SQLITE_ROW) {
            return std::unexpected(db_.error("read"));
        }
        LedgerEntry e;
        e.path = stmt.text(0);
        e.size = static_cast<std::uint64_t>(stmt.integer(1));
        e.mtime_ns = stmt.integer(2);
        e.sha256 = stmt.text(3);
        e.state = static_cast<ItemState>(stmt.integer(4));
        e.receipt = stmt.text(5);
        e.staged_at = stmt.integer(6);
        e.remote_id = stmt.text(7);
        e.error = stmt.text(8);
        e.updated_at = stmt.integer(9);
        out.push_back(std::move(e));
    }
}

sdk::Result<std::optional<LedgerEntry>> StateStore::query_one(sqlite::Statement& stmt) {
    auto rows = query_entries(stmt);
    if (!rows) {
        return std::unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<LedgerEntry>{};
    }
    return std::optional<LedgerEntry>(std::move(rows->front()));
}

sqlite::Statement& StateStore::cached(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        it = statements_.emplace(std::string(sql), db_.prepare(sql)).first;
    }
    it->second.reset();
    return it->second;
}

sdk::Result<std::optional<LedgerEntry>> StateStore::find(std::int64_t target,
                                                         std::string_view path) {
    // Called once per scanned item: the statement is prepared once per store.
    auto& stmt = cached(ledger_sql::kFindByPath);
    stmt.bind(1, target).bind_blob(2, path);
    return query_one(stmt);
}

sdk::Result<std::optional<LedgerEntry>> StateStore::find_committed_by_hash(
    std::int64_t target, std::string_view sha256) {
    auto& stmt = cached(ledger_sql::kFindCommittedByHash);
    stmt.bind(1, target).bind(2, sha256);
    return query_one(stmt);
}

sdk::Result<bool> StateStore::has_committed_size(std::int64_t target, std::uint64_t size) {
    auto& stmt = cached(ledger_sql::kHasCommittedSize);
    stmt.bind(1, target).bind(2, static_cast<std::int64_t>(size));
    int rc = stmt.step();
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (auto r = check(db_, rc, "read"); !r) {
        return std::unexpected(r.error());
    }
    return false;
}

sdk::Result<std::vector<LedgerEntry>> StateStore::in_state(std::int64_t target, ItemState state) {
    auto stmt = db_.prepare("SELECT " PHOTOSYNC_ITEM_COLUMNS
                            " FROM items WHERE target_id=? AND state=? ORDER BY path");
    stmt.bind(1, target).bind(2, static_cast<std::int64_t>(state));
    return query_entries(stmt);
}

sdk::Result<std::vector<std::string>> StateStore::committed_remote_ids(std::int64_t target) {
    auto stmt = db_.prepare("SELECT remote_id FROM items WHERE target_id=? AND state=3");
    stmt.bind(1, target);
    std::vector<std::string> out;
    int rc;
    while ((rc = stmt.step()) == SQLITE_ROW) {
        out.push_back(stmt.text(0));
    }
    if (auto r = check(db_, rc, "read"); !r) {
        return std::unexpected(r.error());
    }
    return out;
}

sdk::Result<void> StateStore::record_staged(std::int64_t target, const sdk::SourceItem& item,
                                            std::string_view sha256, const sdk::Receipt& receipt) {
    auto& stmt = cached(
        "INSERT OR REPLACE INTO items (target_id, path, size, mtime_ns, sha256, state, receipt, "
        "staged_at, remote_id, error, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, '', '', ?)");
    stmt.bind(1, target)
        .bind_blob(2, item.path)
        .bind(3, static_cast<std::int64_t>(item.size))
        .bind(4, to_unix_ns(item.mtime))
        .bind(5, sha256)
        .bind(6, receipt.token)
        .bind(7,
              std::chrono::duration_cast<std::chrono::seconds>(receipt.staged_at.time_since_epoch())
                  .count())
        .bind(8, unix_now_s());
    return check(db_, stmt.step(), "record progress");
}

sdk::Result<void> StateStore::record_committing(std::int64_t target,
                                                std::span<const sdk::StagedItem> items) {
    return sqlite::transaction(db_, [&]() -> sdk::Result<void> {
        auto stmt =
            db_.prepare("UPDATE items SET state=2, updated_at=? WHERE target_id=? AND path=?");
        for (const auto& s : items) {
            stmt.reset();
            stmt.bind(1, unix_now_s()).bind(2, target).bind_blob(3, s.item.path);
            if (auto r = check(db_, stmt.step(), "record progress"); !r) {
                return r;
            }
        }
        return {};
    });
}

sdk::Result<void> StateStore::record_committed(std::int64_t target, const sdk::SourceItem& item,
                                               std::string_view sha256,
                                               std::string_view remote_id) {
    auto& stmt = cached(
        "INSERT INTO items (target_id, path, size, mtime_ns, sha256, state, remote_id, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 3, ?, ?) ON CONFLICT (target_id, path) DO UPDATE SET "
        "size=excluded.size, mtime_ns=excluded.mtime_ns, "
        "sha256=CASE WHEN excluded.sha256='' THEN sha256 ELSE excluded.sha256 END, state=3, "
        "receipt='', remote_id=excluded.remote_id, error='', updated_at=excluded.updated_at");
    stmt.bind(1, target)
        .bind_blob(2, item.path)
        .bind(3, static_cast<std::int64_t>(item.size))
        .bind(4, to_unix_ns(item.mtime))
        .bind(5, sha256)
        .bind(6, remote_id)
        .bind(7, unix_now_s());
    return check(db_, stmt.step(), "record progress");
}

sdk::Result<void> StateStore::resolve_committed(std::int64_t target, std::string_view path,
                                                std::string_view remote_id) {
    auto& stmt = cached(
        "UPDATE items SET state=3, receipt='', remote_id=?, updated_at=? WHERE target_id=? AND "
        "path=?");
    stmt.bind(1, remote_id).bind(2, unix_now_s()).bind(3, target).bind_blob(4, path);
    return check(db_, stmt.step(), "record progress");
}

sdk::Result<void> StateStore::resolve_not_committed(std::int64_t target, std::string_view path) {
    auto& stmt = cached("UPDATE items SET state=1, updated_at=? WHERE target_id=? AND path=?");
    stmt.bind(1, unix_now_s()).bind(2, target).bind_blob(3, path);
    return check(db_, stmt.step(), "record progress");
}

sdk::Result<void> StateStore::record_failed(std::int64_t target, const sdk::SourceItem& item,
                                            std::string_view error) {
    auto& stmt = cached(
        "INSERT INTO items (target_id, path, size, mtime_ns, state, error, updated_at) "
        "VALUES (?, ?, ?, ?, 4, ?, ?) ON CONFLICT (target_id, path) DO UPDATE SET "
        "size=excluded.size, mtime_ns=excluded.mtime_ns, state=4, receipt='', "
        "error=excluded.error, updated_at=excluded.updated_at");
    stmt.bind(1, target)
        .bind_blob(2, item.path)
        .bind(3, static_cast<std::int64_t>(item.size))
        .bind(4, to_unix_ns(item.mtime))
        .bind(5, error)
        .bind(6, unix_now_s());
    return check(db_, stmt.step(), "record progress");
}

sdk::Result<std::int64_t> StateStore::begin_run(std::int64_t target) {
    auto stmt = db_.prepare("INSERT INTO runs (target_id, started_at) VALUES (?, ?)");
    stmt.bind(1, target).bind(2, unix_now_s());
    if (auto r = check(db_, stmt.step(), "record the run"); !r) {
        return std::unexpected(r.error());
    }
    return sqlite3_last_insert_rowid(db_.handle());
}

sdk::Result<void> StateStore::end_run(std::int64_t run, std::string_view state,
                                      std::uint64_t files_found, std::uint64_t files_done,
                                      std::uint64_t files_failed, std::uint64_t files_unchanged,
                                      std::uint64_t bytes_done) {
    auto stmt = db_.prepare(
        "UPDATE runs SET finished_at=?, state=?, files_found=?, files_done=?, files_failed=?, "
        "files_unchanged=?, bytes_done=? WHERE id=?");
    stmt.bind(1, unix_now_s())
        .bind(2, state)
        .bind(3, static_cast<std::int64_t>(files_found))
        .bind(4, static_cast<std::int64_t>(files_done))
        .bind(5, static_cast<std::int64_t>(files_failed))
        .bind(6, static_cast<std::int64_t>(files_unchanged))
        .bind(7, static_cast<std::int64_t>(bytes_done))
        .bind(8, run);
    return check(db_, stmt.step(), "record the run");
}

sdk::Result<std::vector<TargetSummary>> StateStore::summaries(std::string_view album_filter) {
    std::vector<TargetSummary> out;
    auto targets = db_.prepare(
        "SELECT id, source, destination, album, container_id FROM targets "
        "WHERE ?='' OR album=? ORDER BY album, source");
    targets.bind(1, album_filter).bind(2, album_filter);
    for (int rc = targets.step(); rc == SQLITE_ROW; rc = targets.step()) {
        TargetSummary t;
        t.id = targets.integer(0);
        t.key = TargetKey{targets.text(1), targets.text(2), targets.text(3)};
        t.container_id = targets.text(4);
        auto counts =
            db_.prepare("SELECT state, COUNT(*) FROM items WHERE target_id=? GROUP BY state");
        counts.bind(1, t.id);
        for (int c = counts.step(); c == SQLITE_ROW; c = counts.step()) {
            auto n = static_cast<std::uint64_t>(counts.integer(1));
            switch (static_cast<ItemState>(counts.integer(0))) {
                case ItemState::staged:
                    t.staged = n;
                    break;
                case ItemState::committing:
                    t.committing = n;
                    break;
                case ItemState::committed:
                    t.committed = n;
                    break;
                case ItemState::failed:
                    t.failed = n;
                    break;
            }
        }
        auto run = db_.prepare(
            "SELECT started_at, finished_at, state FROM runs WHERE target_id=? ORDER BY id DESC "
            "LIMIT 1");
        run.bind(1, t.id);
        if (run.step() == SQLITE_ROW) {
            t.last_run_started = run.integer(0);
            t.last_run_finished = run.integer(1);
            t.last_run_state = run.text(2);
        }
        auto failures = db_.prepare("SELECT " PHOTOSYNC_ITEM_COLUMNS
                                    " FROM items WHERE target_id=? AND state=4 "
                                    "ORDER BY updated_at DESC LIMIT " +
                                    std::to_string(kFailuresListed));
        failures.bind(1, t.id);
        auto rows = query_entries(failures);
        if (!rows) {
            return std::unexpected(rows.error());
        }
        t.failures = std::move(*rows);
        out.push_back(std::move(t));
    }
    return out;
}

}  // namespace photosync::engine
