#include "responses.hpp"

#include "json_mapping.hpp"

namespace photosync::server {

void add_common_headers(Response& r) {
    r.set(http::field::server, "photosync");
    r.set("X-Content-Type-Options", "nosniff");
    r.set("Referrer-Policy", "no-referrer");
    if (r.find(http::field::cache_control) == r.end()) {
        r.set(http::field::cache_control, "no-store");
    }
}

Response json_response(unsigned version, http::status status, const nlohmann::json& body) {
    Response r{status, version};
    r.set(http::field::content_type, "application/json; charset=utf-8");
    add_common_headers(r);
    r.body() = dump_json(body);
    r.body() += '\n';
    r.prepare_payload();
    return r;
}

Response error_response(unsigned version, http::status status, std::string_view message,
                        std::string_view kind) {
    nlohmann::json error{{"code", static_cast<unsigned>(status)}, {"message", message}};
    if (!kind.empty()) {
        error["kind"] = kind;
    }
    return json_response(version, status, {{"error", error}});
}

Response error_response(unsigned version, const sdk::Error& error) {
    return error_response(version, status_for(error), error.message, sdk::to_string(error.kind));
}

http::status status_for(const sdk::Error& error) noexcept {
    using K = sdk::ErrorKind;
    switch (error.kind) {
        case K::invalid_input:
        case K::not_found:
            return http::status::bad_request;
        case K::permission:
            return http::status::forbidden;
        case K::auth:
        case K::conflict:
            return http::status::conflict;
        case K::quota_exhausted:
        case K::rate_limited:
            return http::status::too_many_requests;
        case K::transient:
        case K::unknown_outcome:
        case K::protocol:
            return http::status::bad_gateway;
        case K::cancelled:
            return http::status::service_unavailable;
        case K::io:
        case K::internal:
            return http::status::internal_server_error;
    }
    return http::status::internal_server_error;
}

}  // namespace photosync::server
