#include "json_mapping.hpp"

#include <cmath>
#include <ctime>

#include "photosync/sdk/types.hpp"

namespace photosync::server {

using nlohmann::json;

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

json watch_view_json(const WatchView& w, std::chrono::milliseconds settle) {
    return {{"settle_ms", settle.count()},
            {"folder_present", w.folder_present},
            {"syncing", w.syncing},
            {"syncs", w.syncs},
            {"files_uploaded", w.files_uploaded},
            {"message", w.last_message.empty() ? json(nullptr) : json(w.last_message)},
            {"last_sync", w.last_sync_state
                              ? json{{"state", engine::to_string(*w.last_sync_state)},
                                     {"finished_at", timestamp_json(w.last_sync_at)},
                                     {"error", w.last_sync_error ? error_json(*w.last_sync_error)
                                                                 : json(nullptr)}}
                              : json(nullptr)}};
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
            {"watch", s.info.watch},
            {"watching",
             s.watch ? watch_view_json(*s.watch, s.info.watch_options.settle) : json(nullptr)},
            {"bwlimit", s.info.bwlimit.empty() ? json(nullptr) : json(s.info.bwlimit)},
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
    json j{{"id", s.id},
           {"state", engine::to_string(s.state)},
           {"counters", counters_json(s.counters)},
           {"progress", progress_fields(s)},
           {"failures_total", s.failures_total}};
    if (s.watch) {
        j["watching"] = watch_view_json(*s.watch, s.info.watch_options.settle);
    }
    return j;
}

json event_json(std::uint64_t job, const engine::JobEvent& e) {
    json j{{"job", job}};
    j.update(frontend::event_fields(e));
    return j;
}

json watch_event_json(std::uint64_t job, const engine::WatchEvent& e) {
    json j{{"job", job}};
    j.update(frontend::watch_event_fields(e));
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
        failures.push_back(frontend::failure_json(f));
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
