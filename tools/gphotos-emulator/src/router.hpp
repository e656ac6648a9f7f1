#pragma once
// Request routing in two phases, both free of I/O:
//   admit()  — on the request head: route, faults, auth, scopes, quotas,
//              and for uploads the sink that will take the body;
//   handle() — on the full request: the endpoint's reply.

#include <memory>
#include <optional>
#include <string>

#include "app.hpp"
#include "faults.hpp"
#include "http_types.hpp"
#include "oauth.hpp"
#include "quotas.hpp"
#include "stats.hpp"
#include "uploads.hpp"

namespace gpe {

enum class Route {
    unknown,
    oauth_authorize,
    oauth_token,
    oauth_revoke,
    oauth_tokeninfo,
    control,
    upload_stream,   // uploads.raw, uploads.upload: body goes to a sink
    upload_command,  // uploads.start/query/cancel/invalid
    albums_create,
    albums_list,
    albums_get,
    albums_patch,
    albums_batch_add,
    albums_batch_remove,
    albums_add_enrichment,
    sharing,
    media_batch_create,
    media_search,
    media_list,
    media_get,
    media_batch_get,
    media_patch,
};

struct RouteMatch {
    Route route = Route::unknown;
    std::string endpoint = "unknown";  // stats / fault-scope name
    std::string id;                    // album or media item id from the path
};

RouteMatch classify(const Request& head);

struct Admission {
    RouteMatch match;
    std::optional<Response> early;  // reply without handling (the body is not used)
    std::optional<Principal> who;
    FaultDecision faults;
    WriteSlot write_slot;
    InFlight in_flight;
    std::unique_ptr<UploadSink> sink;
    bool counted = true;  // recorded in the stats (control calls are not)
};

Admission admit(App& app, const Request& head, std::optional<std::uint64_t> content_length);
Response handle(App& app, Admission& adm, const Request& req);

// Finishes a reply: Date/Server headers, gzip when accepted (and allowed).
void finalize_response(const App& app, const Request& req, Response& res, bool gzip_allowed = true);

}  // namespace gpe
