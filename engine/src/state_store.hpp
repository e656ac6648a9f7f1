// The ledger: what photosync knows about each item of each sync target
// (source, destination, album), in one SQLite file per user (WAL mode).
//
// An item's state moves   (new) ─▶ staged ─▶ committing ─▶ committed
//                                     └──────────┴──────▶ failed (retried next run)
// `committing` is written before a commit call and resolved after it, so a
// crash or a lost reply leaves a record of intent that the next run
// reconciles against what the destination lists.
//
// Not thread-safe: one StateStore per job, used on the job's strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "photosync/sdk/error.hpp"
#include "photosync/sdk/types.hpp"
#include "sqlite.hpp"

namespace photosync::engine {

enum class ItemState : std::uint8_t { staged = 1, committing = 2, committed = 3, failed = 4 };

struct LedgerEntry {
    std::string path;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string sha256;
    ItemState state = ItemState::failed;
    std::string receipt;
    std::int64_t staged_at = 0;  // unix seconds
    std::string remote_id;
    std::string error;
    std::int64_t updated_at = 0;  // unix seconds of the last change
};

// The ledger's entry is for this very file: same size and mtime (the rule
// that makes an unchanged file cost no hashing and no network).
[[nodiscard]] std::int64_t to_unix_ns(sdk::TimePoint t);
[[nodiscard]] inline bool same_file(const std::optional<LedgerEntry>& known,
                                    const sdk::SourceItem& item) {
    return known && known->size == item.size && known->mtime_ns == to_unix_ns(item.mtime);
}

struct TargetKey {
    std::string source;       // e.g. "local:/home/ana/Trip"
    std::string destination;  // e.g. "gphotos", "folder:/srv/photos"
    std::string album;
};

struct TargetSummary {
    std::int64_t id = 0;
    TargetKey key;
    std::string container_id;
    std::uint64_t committed = 0, staged = 0, committing = 0, failed = 0;
    std::int64_t last_run_started = 0, last_run_finished = 0;  // unix seconds, 0 = never
    std::string last_run_state;
    std::vector<LedgerEntry> failures;  // most recent first, capped
};

inline constexpr std::int64_t kStateSchemaVersion = 1;

class StateStore {
  public:
    // The state file inside `state_dir`.
    static std::filesystem::path file_in(const std::filesystem::path& state_dir);

    // Opens (creating, migrating) the state file. A corrupt file is moved aside
    // to "<file>.corrupt-<time>" and reported as an error naming both: never
    // silently reset. A read-only or full disk is an error here, before any
    // upload starts.
    static sdk::Result<StateStore> open(const std::filesystem::path& file);
    // Opens an existing file for reading only (status, verify). not_found if none.
    static sdk::Result<StateStore> open_existing(const std::filesystem::path& file);

    sdk::Result<std::int64_t> target(const TargetKey& key);
    sdk::Result<std::optional<std::int64_t>> find_target(const TargetKey& key);
    sdk::Result<std::vector<TargetSummary>> summaries(std::string_view album_filter);

    sdk::Result<std::string> container_id(std::int64_t target);
    sdk::Result<void> set_container_id(std::int64_t target, std::string_view id);

    sdk::Result<std::optional<LedgerEntry>> find(std::int64_t target, std::string_view path);
    sdk::Result<std::optional<LedgerEntry>> find_committed_by_hash(std::int64_t target,
                                                                   std::string_view sha256);
    sdk::Result<bool> has_committed_size(std::int64_t target, std::uint64_t size);
    sdk::Result<std::vector<LedgerEntry>> in_state(std::int64_t target, ItemState state);
    // Remote ids the ledger already accounts for (so reconciliation never
    // claims one item twice).
    sdk::Result<std::vector<std::string>> committed_remote_ids(std::int64_t target);

    // Runs `body` (calls of this store) as one transaction: one write of the
    // ledger for many rows, all or none of them.
    template <class F>
    sdk::Result<void> transaction(F&& body) {
        return sqlite::transaction(db_, std::forward<F>(body));
    }

    sdk::Result<void> record_staged(std::int64_t target, const sdk::SourceItem& item,
                                    std::string_view sha256, const sdk::Receipt& receipt);
    sdk::Result<void> record_committing(std::int64_t target,
                                        std::span<const sdk::StagedItem> items);
    sdk::Result<void> record_committed(std::int64_t target, const sdk::SourceItem& item,
                                       std::string_view sha256, std::string_view remote_id);
    // Marks a committing entry committed (reconciliation found it at the destination).
    sdk::Result<void> resolve_committed(std::int64_t target, std::string_view path,
                                        std::string_view remote_id);
    // Puts a committing entry back to staged (reconciliation did not find it).
    sdk::Result<void> resolve_not_committed(std::int64_t target, std::string_view path);
    sdk::Result<void> record_failed(std::int64_t target, const sdk::SourceItem& item,
                                    std::string_view error);

    sdk::Result<std::int64_t> begin_run(std::int64_t target);
    sdk::Result<void> end_run(std::int64_t run, std::string_view state, std::uint64_t files_found,
                              std::uint64_t files_done, std::uint64_t files_failed,
                              std::uint64_t files_unchanged, std::uint64_t bytes_done);

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return db_.path(); }

  private:
    explicit StateStore(sqlite::Database db) : db_(std::move(db)) {}
    sdk::Result<void> migrate();
    sdk::Result<void> check_integrity();
    sdk::Result<std::vector<LedgerEntry>> query_entries(sqlite::Statement& stmt);
    sdk::Result<std::optional<LedgerEntry>> query_one(sqlite::Statement& stmt);
    // Prepared once, reset on each use: per-item queries run 100,000 times a scan.
    sqlite::Statement& cached(std::string_view sql);

    sqlite::Database db_;  // first: outlives the statements below
    std::map<std::string, sqlite::Statement, std::less<>> statements_;
};

[[nodiscard]] std::int64_t unix_now_s();

}  // namespace photosync::engine
