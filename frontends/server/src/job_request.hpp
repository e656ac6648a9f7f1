// POST /api/jobs: the request body checked field by field and turned into
// the engine's JobSpec. Strict (an unknown field is an error, so a typo is
// not silently ignored); folders must pass the path policy.
//
//   {"folder": "/home/ana/Pictures/Trip", "album": "Trip 2026",
//    "to": "gphotos" | "folder:/srv/photos", "jobs": 8,
//    "include": ["*.jpg"], "exclude": ["Trash/*"], "dry_run": false,
//    "options": {"KEY": "VALUE"}, "source_options": {"KEY": "VALUE"},
//    "bwlimit": "2M", "watch": true, "settle_ms": 2000}
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "job_registry.hpp"
#include "path_policy.hpp"
#include "photosync/engine/job.hpp"

namespace photosync::server {

struct JobDefaults {
    std::string destination = "gphotos";
    std::size_t concurrency = 0;
    const std::map<std::string, std::map<std::string, std::string>>* plugin_options = nullptr;
};

struct BuiltJob {
    engine::JobSpec spec;
    JobInfo info;
};

// Errors: invalid_input (400) naming the field, permission (403) for a path
// outside the allowed roots.
sdk::Result<BuiltJob> build_job(const nlohmann::json& body, const PathPolicy& paths,
                                const JobDefaults& defaults);

// The body's text parsed as JSON, then build_job. Errors: as build_job, and
// invalid_input "malformed JSON: ..." with where the parser stopped.
sdk::Result<BuiltJob> parse_job_request(std::string_view body, const PathPolicy& paths,
                                        const JobDefaults& defaults);

}  // namespace photosync::server
