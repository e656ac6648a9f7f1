// Removes credentials from text bound for logs: OAuth tokens, client
// secrets, authorization codes, Authorization headers.
#pragma once

#include <string>
#include <string_view>

namespace photosync::cli {

[[nodiscard]] std::string redact(std::string_view text);

}  // namespace photosync::cli
