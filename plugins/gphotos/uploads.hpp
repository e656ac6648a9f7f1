// Step 1 of Google Photos' two-step protocol: sending an item's bytes to
// /v1/uploads for an upload token. Small files go in one request (raw
// protocol); larger ones through a resumable session that continues where the
// server says it stopped after a dropped connection (query + seek) instead of
// starting over. The file's base name and MIME type are sent with the bytes.
#pragma once

#include <string>

#include "api_client.hpp"
#include "photosync/sdk/types.hpp"
#include "settings.hpp"
#include "upload_replies.hpp"

namespace photosync::gphotos {

// Errors: transient (connection, 5xx), rate_limited, quota_exhausted, auth,
// invalid_input (refused), the stream's own errors (io, invalid_input), cancelled.
sdk::awaitable<sdk::Result<std::string>> upload_raw(ApiClient& api, const Settings& settings,
                                                    const sdk::SourceItem& item,
                                                    sdk::ByteStream& content);

sdk::awaitable<sdk::Result<std::string>> upload_resumable(ApiClient& api, const Settings& settings,
                                                          sdk::LogSink& log,
                                                          const sdk::SourceItem& item,
                                                          sdk::ByteStream& content);

// The base name as an HTTP header value: control characters replaced.
[[nodiscard]] std::string upload_file_name(const sdk::SourceItem& item);

}  // namespace photosync::gphotos
