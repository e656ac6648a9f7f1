// Which resource a request names, decided from its method, target and
// Authorization header alone: no I/O, nothing run. router.cpp runs the
// handler it names; the fuzz target (tests/fuzz) feeds it raw requests.
// Every /api path needs the bearer token (checked first, so an unauthorised
// client learns nothing, not even which paths exist); page files do not.
// Unknown paths: 404; known paths with another method: 405 with Allow.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "http_types.hpp"

namespace photosync::server {

enum class Resource {
    list_jobs,     // GET /api/jobs
    create_job,    // POST /api/jobs
    get_job,       // GET /api/jobs/{id}
    cancel_job,    // DELETE /api/jobs/{id}, POST /api/jobs/{id}/cancel
    list_plugins,  // GET /api/plugins
    list_albums,   // GET /api/albums[?album=TITLE]
    server_info,   // GET /api/server
    events,        // GET /api/events (the session streams)
};

struct RouteMatch {
    Resource resource = Resource::list_jobs;
    std::uint64_t job_id = 0;  // get_job, cancel_job
    std::string album;         // list_albums: the ?album= filter, if any
};

// The resource, or the response that answers the request without a handler:
// a page file (GET or HEAD, no token needed), 400 for a malformed target,
// 401, 404 or 405.
[[nodiscard]] std::variant<RouteMatch, Response> match_route(const Request& request,
                                                             std::string_view token);

}  // namespace photosync::server
