// The stored sign-in: the refresh token (and what it grants) in
// <state dir>/credentials.json, mode 0600 in a 0700 directory, written
// atomically. Blocking file I/O: call on the blocking executor.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

struct StoredCredentials {
    std::string refresh_token;
    std::string scope;      // space-separated, as granted
    std::string client_id;  // the OAuth client it belongs to
    std::string saved_at;   // RFC 3339, for `auth status`
};

// The JSON text of a credentials file; `name` is used in messages.
// Errors: auth (not JSON, or no refresh token: the file is damaged).
[[nodiscard]] sdk::Result<StoredCredentials> parse_stored_credentials(const std::string& text,
                                                                      const std::string& name);

class TokenStore {
  public:
    explicit TokenStore(std::filesystem::path file) : file_(std::move(file)) {}

    [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

    // nullopt when nothing is stored. Errors: auth (unreadable or corrupt).
    // A file readable by others is tightened to 0600 on the way.
    [[nodiscard]] sdk::Result<std::optional<StoredCredentials>> load() const;

    // Errors: io, permission.
    [[nodiscard]] sdk::Result<void> save(const StoredCredentials& credentials) const;

    // Deleting what does not exist is not an error.
    [[nodiscard]] sdk::Result<void> remove() const;

  private:
    std::filesystem::path file_;
};

}  // namespace photosync::gphotos
