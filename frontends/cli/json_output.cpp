#include "json_output.hpp"

#include <nlohmann/json.hpp>

#include "photosync/sdk/types.hpp"

namespace photosync::cli {

namespace {

const char* event_name(engine::JobEvent::Type t) {
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

nlohmann::json counters_json(const engine::JobCounters& c) {
    return {{"files_found", c.files_found},    {"bytes_found", c.bytes_found},
            {"files_done", c.files_done},      {"bytes_done", c.bytes_done},
            {"files_failed", c.files_failed},  {"files_unchanged", c.files_unchanged},
            {"scan_complete", c.scan_complete}};
}

}  // namespace

std::string event_json(const engine::JobEvent& e) {
    nlohmann::json j{{"event", event_name(e.type)}};
    if (!e.path.empty()) {
        j["path"] = sdk::display_path(e.path);
    }
    if (e.bytes != 0) {
        j["bytes"] = e.bytes;
    }
    if (e.error) {
        j["error"] = {{"kind", sdk::to_string(e.error->kind)}, {"message", e.error->message}};
    }
    if (e.type == engine::JobEvent::Type::finished) {
        j["state"] = engine::to_string(e.state);
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string progress_json(const engine::JobCounters& c) {
    nlohmann::json j{{"event", "progress"}};
    j.update(counters_json(c));
    return j.dump();
}

std::string summary_json(const engine::JobReport& r, const std::string& album, bool dry_run) {
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& f : r.failures) {
        failures.push_back({{"path", sdk::display_path(f.path)},
                            {"kind", sdk::to_string(f.error.kind)},
                            {"message", f.error.message}});
    }
    nlohmann::json j{{"event", "summary"},
                     {"state", engine::to_string(r.state)},
                     {"album", album},
                     {"dry_run", dry_run},
                     {"elapsed_ms", r.elapsed.count()},
                     {"failures_total", r.failures_total},
                     {"failures", failures}};
    j.update(counters_json(r.counters));
    if (r.error) {
        j["error"] = {{"kind", sdk::to_string(r.error->kind)}, {"message", r.error->message}};
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace photosync::cli
