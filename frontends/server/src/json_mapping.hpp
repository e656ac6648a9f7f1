// The API's JSON shapes (docs/server-api.md): jobs, progress, events,
// plugins, albums and errors.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "job_registry.hpp"
#include "photosync/engine/engine.hpp"
#include "photosync/frontend/job_json.hpp"

namespace photosync::server {

// Shared with the CLI's --json (frontends/common).
using frontend::counters_json;
using frontend::dump_json;
using frontend::error_json;
using frontend::event_name;

// RFC 3339 in UTC, e.g. "2026-11-24T14:56:03Z"; null for the epoch.
[[nodiscard]] nlohmann::json timestamp_json(std::chrono::system_clock::time_point t);
[[nodiscard]] nlohmann::json unix_time_json(std::int64_t seconds);

[[nodiscard]] nlohmann::json job_json(const JobSnapshot& job);
// The light form sent several times a second while a job runs.
[[nodiscard]] nlohmann::json progress_json(const JobSnapshot& job);

// An event on the stream: {"job": id} and the event's own fields.
[[nodiscard]] nlohmann::json event_json(std::uint64_t job, const engine::JobEvent& e);

// A watch job's own event: {"job": id, "watch": "sync_started", ...}.
[[nodiscard]] nlohmann::json watch_event_json(std::uint64_t job, const engine::WatchEvent& e);

[[nodiscard]] nlohmann::json plugin_json(const engine::PluginDescriptor& p);
[[nodiscard]] nlohmann::json album_json(const engine::AlbumStatus& a);

}  // namespace photosync::server
