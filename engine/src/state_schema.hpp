// The state file's schema, as numbered migrations: migration N produces
// schema version N. Each runs once, in one transaction with its record in
// the migrations table; statements are idempotent (IF NOT EXISTS) so a
// partial history can never wedge an upgrade.
#pragma once

#include <array>
#include <string_view>

namespace photosync::engine {

// SQLite's application_id for photosync state files: "PhSy".
inline constexpr int kStateApplicationId = 0x50685379;

inline constexpr std::array<std::string_view, 1> kStateMigrations{
    // 1: targets, the item ledger, runs.
    R"sql(
CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    destination TEXT NOT NULL,
    album TEXT NOT NULL,
    container_id TEXT NOT NULL DEFAULT '',
    UNIQUE (source, destination, album)
);
CREATE TABLE IF NOT EXISTS items (
    target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    path BLOB NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),
    receipt TEXT NOT NULL DEFAULT '',
    staged_at INTEGER NOT NULL DEFAULT 0,
    remote_id TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (target_id, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_by_hash ON items (target_id, sha256);
CREATE INDEX IF NOT EXISTS items_by_size ON items (target_id, size);
CREATE INDEX IF NOT EXISTS items_by_state ON items (target_id, state);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'running',
    files_found INTEGER NOT NULL DEFAULT 0,
    files_done INTEGER NOT NULL DEFAULT 0,
    files_failed INTEGER NOT NULL DEFAULT 0,
    files_unchanged INTEGER NOT NULL DEFAULT 0,
    bytes_done INTEGER NOT NULL DEFAULT 0
);
)sql",
};

}  // namespace photosync::engine
