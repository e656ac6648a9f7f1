// The JSON names every front end gives a job's events, counters and errors:
// the CLI's --json lines and the server's API and event stream say the same
// thing the same way (docs/usage.md, docs/server-api.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "photosync/engine/engine.hpp"
#include "photosync/engine/folder_watch.hpp"

namespace photosync::frontend {

// album_ready, item_uploaded, item_added, item_failed, scan_problem,
// would_upload, scan_complete, item_moved, item_deleted, finished.
[[nodiscard]] const char* event_name(engine::JobEvent::Type type) noexcept;

// files_found, bytes_found, files_uploaded, files_done, bytes_done,
// files_failed, files_unchanged, files_moved, files_deleted, scan_complete.
[[nodiscard]] nlohmann::json counters_json(const engine::JobCounters& c);

// {"kind": "...", "message": "..."}
[[nodiscard]] nlohmann::json error_json(const sdk::Error& error);

// {"path": "<display path>", "kind": "...", "message": "..."}
[[nodiscard]] nlohmann::json failure_json(const engine::ItemFailure& failure);

// An event's own fields (path, bytes, error, final state), without its name.
[[nodiscard]] nlohmann::json event_fields(const engine::JobEvent& e);

// watching, sync_started, sync_finished, folder_lost, folder_back, warning.
[[nodiscard]] const char* watch_event_name(engine::WatchEvent::Type type) noexcept;

// {"watch": name} and the event's own fields: message, count (watching,
// sync_started), error, and for sync_finished the sync's state and counters.
[[nodiscard]] nlohmann::json watch_event_fields(const engine::WatchEvent& e);

// Never throws on invalid UTF-8 (replaced with U+FFFD).
[[nodiscard]] std::string dump_json(const nlohmann::json& j);

}  // namespace photosync::frontend
