#include "errors.hpp"

#include <nlohmann/json.hpp>

namespace gpe {

std::string_view status_for_http(int code) {
    switch (code) {
        case 400:
            return "INVALID_ARGUMENT";
        case 401:
            return "UNAUTHENTICATED";
        case 403:
            return "PERMISSION_DENIED";
        case 404:
            return "NOT_FOUND";
        case 409:
            return "ABORTED";
        case 412:
            return "FAILED_PRECONDITION";
        case 413:
            return "INVALID_ARGUMENT";
        case 429:
            return "RESOURCE_EXHAUSTED";
        case 499:
            return "CANCELLED";
        case 501:
            return "UNIMPLEMENTED";
        case 503:
            return "UNAVAILABLE";
        case 504:
            return "DEADLINE_EXCEEDED";
        default:
            return code >= 500 ? "INTERNAL" : "UNKNOWN";
    }
}

namespace {
std::string_view reason_for_http(int code) {
    switch (code) {
        case 400:
            return "badRequest";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "notFound";
        case 429:
            return "rateLimitExceeded";
        case 503:
            return "backendError";
        default:
            return code >= 500 ? "backendError" : "badRequest";
    }
}
}  // namespace

Response google_error(int code, std::string_view message, std::string_view status,
                      std::string_view reason) {
    nlohmann::json e;
    e["code"] = code;
    e["message"] = message;
    e["errors"] =
        nlohmann::json::array({{{"message", message},
                                {"domain", "global"},
                                {"reason", reason.empty() ? reason_for_http(code) : reason}}});
    e["status"] = status.empty() ? status_for_http(code) : status;
    Response r =
        Response::json(static_cast<http::status>(code), nlohmann::json{{"error", e}}.dump(2));
    if (code == 401)
        r.headers.set(http::field::www_authenticate,
                      "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    if (code == 403 && message == msg::insufficient_scopes)
        r.headers.set(
            http::field::www_authenticate,
            "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\"");
    return r;
}

Response invalid_argument(std::string_view m) {
    return google_error(400, m);
}
Response not_found(std::string_view m) {
    return google_error(404, m);
}
Response permission_denied(std::string_view m) {
    return google_error(403, m);
}
Response unauthenticated(std::string_view m) {
    return google_error(401, m);
}
Response insufficient_scopes() {
    return google_error(403, msg::insufficient_scopes, "PERMISSION_DENIED",
                        "insufficientPermissions");
}
Response internal_error() {
    return google_error(500, msg::internal, "INTERNAL", "backendError");
}
Response unavailable() {
    return google_error(503, msg::unavailable, "UNAVAILABLE", "backendError");
}

Response oauth_error(int code, std::string_view error, std::string_view description) {
    nlohmann::json j{{"error", error}};
    if (!description.empty())
        j["error_description"] = description;
    return Response::json(static_cast<http::status>(code), j.dump(2));
}

}  // namespace gpe
