#include "photosync/frontend/job_json.hpp"

#include "photosync/sdk/types.hpp"

namespace photosync::frontend {

using nlohmann::json;

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
        case T::item_moved:
            return "item_moved";
        case T::item_deleted:
            return "item_deleted";
    }
    return "unknown";
}

json counters_json(const engine::JobCounters& c) {
    return {{"files_found", c.files_found},         {"bytes_found", c.bytes_found},
            {"files_uploaded", c.files_staged},     {"files_done", c.files_done},
            {"bytes_done", c.bytes_done},           {"files_failed", c.files_failed},
            {"files_unchanged", c.files_unchanged}, {"files_moved", c.files_moved},
            {"files_deleted", c.files_deleted},     {"scan_complete", c.scan_complete}};
}

json error_json(const sdk::Error& error) {
    return {{"kind", sdk::to_string(error.kind)}, {"message", error.message}};
}

json failure_json(const engine::ItemFailure& failure) {
    return {{"path", sdk::display_path(failure.path)},
            {"kind", sdk::to_string(failure.error.kind)},
            {"message", failure.error.message}};
}

json event_fields(const engine::JobEvent& e) {
    json j = json::object();
    if (e.type == engine::JobEvent::Type::container_ready) {
        j["album"] = e.path;  // the album's title, not a file
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

const char* watch_event_name(engine::WatchEvent::Type type) noexcept {
    using T = engine::WatchEvent::Type;
    switch (type) {
        case T::watching:
            return "watching";
        case T::sync_started:
            return "sync_started";
        case T::sync_finished:
            return "sync_finished";
        case T::folder_lost:
            return "folder_lost";
        case T::folder_back:
            return "folder_back";
        case T::warning:
            return "warning";
    }
    return "warning";
}

json watch_event_fields(const engine::WatchEvent& e) {
    using T = engine::WatchEvent::Type;
    json j{{"watch", watch_event_name(e.type)}};
    if (!e.message.empty()) {
        j["message"] = e.message;
    }
    if (e.type == T::watching || e.type == T::sync_started) {
        j["count"] = e.count;
    }
    if (e.report) {
        j["state"] = engine::to_string(e.report->state);
        j["counters"] = counters_json(e.report->counters);
    }
    if (e.error) {
        j["error"] = error_json(*e.error);
    } else if (e.report && e.report->error) {
        j["error"] = error_json(*e.report->error);
    }
    return j;
}

std::string dump_json(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace photosync::frontend
