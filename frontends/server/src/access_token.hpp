// The server's bearer token: 32 random bytes, base64url, kept in a file of
// mode 0600 so only its owner can read it; compared in constant time.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "photosync/sdk/error.hpp"

namespace photosync::server {

struct AccessToken {
    std::string value;
    bool created = false;  // generated now (first start)
};

// Reads the token from `file`, or generates one and writes it (mode 0600,
// parent folders created 0700). A file readable by others is tightened to 0600.
sdk::Result<AccessToken> load_or_create_token(const std::filesystem::path& file);

// 32 bytes from the kernel's CSPRNG, base64url without padding (43 characters).
std::string generate_token();

// Whether an Authorization header value is "Bearer <token>", compared in
// constant time (for tokens of the same length).
[[nodiscard]] bool bearer_matches(std::string_view authorization, std::string_view token) noexcept;

}  // namespace photosync::server
