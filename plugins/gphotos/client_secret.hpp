// The user's own OAuth client, from the client_secret.json that Google Cloud
// console downloads ("installed" = Desktop app, or "web"). The secret is kept
// in memory only and never appears in messages.
#pragma once

#include <filesystem>
#include <string>

#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

struct ClientSecret {
    std::string client_id;
    std::string client_secret;
    std::string auth_uri;   // empty when the file has none
    std::string token_uri;  // empty when the file has none
};

// Errors: auth (missing: says where to put it; unreadable or malformed).
[[nodiscard]] sdk::Result<ClientSecret> load_client_secret(const std::filesystem::path& file);

// Parses the JSON text of a client_secret.json; `name` is used in messages.
[[nodiscard]] sdk::Result<ClientSecret> parse_client_secret(const std::string& text,
                                                            const std::string& name);

}  // namespace photosync::gphotos
