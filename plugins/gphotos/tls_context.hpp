// The TLS client context every connection of a plugin instance uses:
// certificate verification on, the system's trusted CAs plus an optional
// extra CA file (a private or test CA), TLS 1.2 or newer.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>

#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

// Errors: invalid_input (the CA file cannot be read or holds no certificate).
[[nodiscard]] sdk::Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const std::filesystem::path& extra_ca_file);

}  // namespace photosync::gphotos
