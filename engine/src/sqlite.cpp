#include "sqlite.hpp"

#include <utility>

namespace photosync::engine::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
        stmt_ = nullptr;  // step() reports the error
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

int Statement::step() {
    return stmt_ == nullptr ? SQLITE_MISUSE : sqlite3_step(stmt_);
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return data == nullptr
               ? std::string{}
               : std::string(static_cast<const char*>(data), static_cast<std::size_t>(n));
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Database::~Database() {
    sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

sdk::Result<Database> Database::open(const std::filesystem::path& file, bool create) {
    Database db;
    db.path_ = file;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(file.c_str(), &db.db_, flags, nullptr) != SQLITE_OK) {
        return std::unexpected(db.error("open"));
    }
    sqlite3_extended_result_codes(db.db_, 1);
    sqlite3_busy_timeout(db.db_, 5000);  // another photosync process may hold a write lock briefly
    return db;
}

sdk::Result<void> Database::exec(std::string_view sql) {
    std::string owned(sql);
    if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::unexpected(error("update"));
    }
    return {};
}

Statement Database::prepare(std::string_view sql) const {
    return Statement(db_, sql);
}

sdk::Error Database::error(std::string_view doing) const {
    int code = db_ == nullptr ? SQLITE_CANTOPEN : sqlite3_errcode(db_);
    std::string what = db_ == nullptr ? "cannot open" : sqlite3_errmsg(db_);
    sdk::ErrorKind kind = sdk::ErrorKind::io;
    std::string hint;
    switch (code & 0xFF) {
        case SQLITE_FULL:
            hint = ": the disk is full; free some space and run again";
            break;
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            kind = sdk::ErrorKind::permission;
            hint = ": check that the folder exists and is writable (or set XDG_STATE_HOME)";
            break;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            kind = sdk::ErrorKind::internal;
            hint = ": the file is corrupt";
            break;
        default:
            break;
    }
    return sdk::Error{kind,
                      "state file " + path_.string() + ": cannot " + std::string(doing) + " (" +
                          what + ")" + hint,
                      std::nullopt};
}

}  // namespace photosync::engine::sqlite
