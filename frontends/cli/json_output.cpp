#include "json_output.hpp"

#include <nlohmann/json.hpp>

#include "photosync/frontend/job_json.hpp"

namespace photosync::cli {

using frontend::counters_json;
using frontend::dump_json;
using nlohmann::json;

std::string event_json(const engine::JobEvent& e) {
    json j{{"event", frontend::event_name(e.type)}};
    j.update(frontend::event_fields(e));
    return dump_json(j);
}

std::string progress_json(const engine::JobCounters& c) {
    json j{{"event", "progress"}};
    j.update(counters_json(c));
    return dump_json(j);
}

std::string summary_json(const engine::JobReport& r, const std::string& album, bool dry_run) {
    json failures = json::array();
    for (const auto& f : r.failures) {
        failures.push_back(frontend::failure_json(f));
    }
    json j{{"event", "summary"},
           {"state", engine::to_string(r.state)},
           {"album", album},
           {"dry_run", dry_run},
           {"elapsed_ms", r.elapsed.count()},
           {"failures_total", r.failures_total},
           {"failures", failures}};
    j.update(counters_json(r.counters));
    if (r.error) {
        j["error"] = frontend::error_json(*r.error);
    }
    return dump_json(j);
}

}  // namespace photosync::cli
