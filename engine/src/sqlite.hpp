// A thin RAII layer over SQLite's C API: a connection, prepared statements
// with typed binds, and errors as values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "photosync/sdk/error.hpp"

namespace photosync::engine::sqlite {

class Statement {
  public:
    Statement() = default;
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_null(int index);

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    void reset();

    [[nodiscard]] std::int64_t integer(int column) const;
    [[nodiscard]] std::string text(int column) const;  // text or blob, as bytes
    [[nodiscard]] bool is_null(int column) const;

  private:
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
  public:
    Database() = default;
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;

    // Opens (creating when `create`) a database file.
    static sdk::Result<Database> open(const std::filesystem::path& file, bool create);

    // Runs statements without results (schema, pragmas). Errors name the file.
    sdk::Result<void> exec(std::string_view sql);
    [[nodiscard]] Statement prepare(std::string_view sql) const;
    [[nodiscard]] sdk::Error error(std::string_view doing) const;  // from the last failure
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] std::int64_t changes() const { return sqlite3_changes64(db_); }

  private:
    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back on error. Inside
// a transaction already, `body` simply joins it: the outer one commits.
template <class F>
sdk::Result<void> transaction(Database& db, F&& body) {
    if (sqlite3_get_autocommit(db.handle()) == 0) {
        return body();
    }
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) {
        return r;
    }
    sdk::Result<void> result = body();
    if (!result) {
        (void)db.exec("ROLLBACK");
        return result;
    }
    if (auto r = db.exec("COMMIT"); !r) {
        (void)db.exec("ROLLBACK");
        return r;
    }
    return {};
}

}  // namespace photosync::engine::sqlite
