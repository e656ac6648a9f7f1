#include "json_mapping.hpp"

#include <cmath>
#include <ctime>

#include "photosync/sdk/types.hpp"

namespace photosync::server {

using nlohmann::json;

std::string dump_json(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json unix_time_json(std::int64_t seconds) {
    if (seconds <= 0) {
        return nullptr;
    }
    std::time_t t = seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

json timestamp_json(std::chrono::system_clock::time_point t) {
    if (t.time_since_epoch().count() == 0) {
        return nullptr;
    }
    return unix_time_json(
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

json error_json(const sdk::Error& error) {
    return {{"kind", sdk::to_string(error.kind)}, {"message", error.message}};
}

json counters_json(const engine::JobCounters& c) {
    return {{"files_found", c.files_found},         {"bytes_found", c.bytes_found},
            {"files_uploaded", c.files_staged},     {"files_done", c.files_done},
            {"bytes_done", c.bytes_done},           {"files_failed", c.files_failed},
            {"files_unchanged", c.files_unchanged}, {"scan_complete", c.scan_complete}};
}

namespace {

json progress_fields(const JobSnapshot& s) {
    json eta = nullptr;
    if (s.eta_seconds) {
        eta = std::round(*s.eta_seconds);
    }
    return {{"percent", std::round(s.percent * 10.0) / 10.0},
            {"bytes_per_second", static_cast<std::uint64_t>(std::max(0.0, s.rate))},
            {"eta_seconds", eta},
            {"elapsed_ms", s.elapsed.count()}};
}

}  // namespace

json job_json(const JobSnapshot& s) {
    json failures = json::array();
    for (const auto& f : s.failures) {
        failures.push_back({{"path", f.path},
                            {"kind", f.kind},
                            {"message", f.message},
                            {"during", f.scan ? "scan" : "upload"}});
    }
    return {{"id", s.id},
            {"state", engine::to_string(s.state)},
            {"folder", sdk::display_path(s.info.folder)},
            {"album", s.info.album},
            {"to", s.info.destination},
            {"dry_run", s.info.dry_run},
            {"jobs", s.info.concurrency},
            {"include", s.info.include},
            {"exclude", s.info.exclude},
            {"created_at", timestamp_json(s.created_at)},
            {"finished_at", timestamp_json(s.finished_at)},
            {"cancel_requested", s.cancel_requested},
            {"album_ready", s.album_ready},
            {"album_id", s.album_id.empty() ? json(nullptr) : json(s.album_id)},
            {"counters", counters_json(s.counters)},
            {"progress", progress_fields(s)},
            {"failures", failures},
            {"failures_total", s.failures_total},
            {"error", s.error ? error_json(*s.error) : json(nullptr)}};
}

json progress_json(const JobSnapshot& s) {
    return {{"id", s.id},
            {"state", engine::to_string(s.state)},
            {"counters", counters_json(s.counters)},
            {"progress", progress_fields(s)},
            {"failures_total", s.failures_total}};
}

const char* event_name(engine::JobEvent::Type t) noexcept {
    using T = engine::JobEvent::Type;
    switch (t) {
        case T::container_ready:
            return "album_ready";
        case T::item_staged:
            return "item_uploaded";
        case T::item_committed:
            return "item_added";
        case T::item_failed:
            return "item_failed";
        case T::scan_problem:
            return "scan_problem";
        case T::planned:
            return "would_upload";
        case T::scan_complete:
            return "scan_complete";
        case T::finished:
            return "finished";
    }
    return "unknown";
}

json event_json(std::uint64_t job, const engine::JobEvent& e) {
    json j{{"job", job}};
    if (e.type == engine::JobEvent::Type::container_ready) {
        j["album"] = e.path;
    } else if (!e.path.empty()) {
        j["path"] = sdk::display_path(e.path);
    }
    if (e.bytes != 0) {
        j["bytes"] = e.bytes;
    }
    if (e.error) {
        j["error"] = error_json(*e.error);
    }
    if (e.type == engine::JobEvent::Type::finished) {
        j["state"] = engine::to_string(e.state);
    }
    return j;
}

json plugin_json(const engine::PluginDescriptor& p) {
    json options = json::array();
    for (const auto& o : p.options) {
        options.push_back({{"name", o.name},
                           {"help", o.help},
                           {"default", o.has_default ? json(o.default_value) : json(nullptr)},
                           {"secret", o.secret}});
    }
    return {{"name", p.name},
            {"kind", sdk::to_string(p.kind)},
            {"version", p.version},
            {"description", p.description},
            {"needs_sign_in", p.has_authenticator},
            {"options", options}};
}

json album_json(const engine::AlbumStatus& a) {
    json failures = json::array();
    for (const auto& f : a.failures) {
        failures.push_back({{"path", sdk::display_path(f.path)},
                            {"kind", sdk::to_string(f.error.kind)},
                            {"message", f.error.message}});
    }
    return {{"album", a.album},
            {"album_id", a.album_id},
            {"source", a.source},
            {"destination", a.destination},
            {"committed", a.committed},
            {"pending", a.pending},
            {"failed", a.failed},
            {"last_run",
             {{"state", a.last_run_state.empty() ? json(nullptr) : json(a.last_run_state)},
              {"started_at", unix_time_json(a.last_run_started)},
              {"finished_at", unix_time_json(a.last_run_finished)}}},
            {"failures", failures}};
}

}  // namespace photosync::server
