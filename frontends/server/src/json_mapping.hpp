// The API's JSON shapes (docs/server-api.md): jobs, progress, events,
// plugins, albums and errors.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "job_registry.hpp"
#include "photosync/engine/engine.hpp"

namespace photosync::server {

// Never throws on invalid UTF-8 (replaced with U+FFFD).
[[nodiscard]] std::string dump_json(const nlohmann::json& j);

// RFC 3339 in UTC, e.g. "2026-11-24T14:56:03Z"; null for the epoch.
[[nodiscard]] nlohmann::json timestamp_json(std::chrono::system_clock::time_point t);
[[nodiscard]] nlohmann::json unix_time_json(std::int64_t seconds);

[[nodiscard]] nlohmann::json error_json(const sdk::Error& error);
[[nodiscard]] nlohmann::json counters_json(const engine::JobCounters& c);
[[nodiscard]] nlohmann::json job_json(const JobSnapshot& job);
// The light form sent several times a second while a job runs.
[[nodiscard]] nlohmann::json progress_json(const JobSnapshot& job);

// The CLI's --json names: album_ready, item_uploaded, item_added, ...
[[nodiscard]] const char* event_name(engine::JobEvent::Type type) noexcept;
[[nodiscard]] nlohmann::json event_json(std::uint64_t job, const engine::JobEvent& e);

[[nodiscard]] nlohmann::json plugin_json(const engine::PluginDescriptor& p);
[[nodiscard]] nlohmann::json album_json(const engine::AlbumStatus& a);

}  // namespace photosync::server
