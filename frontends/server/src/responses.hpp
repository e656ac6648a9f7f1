// Building responses: JSON bodies, the one error shape
// {"error":{"code":N,"message":"...","kind":"..."}}, and the headers every
// response carries.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http_types.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::server {

// Headers on every response: no caching of API data, no MIME sniffing.
void add_common_headers(Response& response);

[[nodiscard]] Response json_response(unsigned version, http::status status,
                                     const nlohmann::json& body);
[[nodiscard]] Response error_response(unsigned version, http::status status,
                                      std::string_view message, std::string_view kind = {});
// An engine or plugin error, with the status its kind calls for.
[[nodiscard]] Response error_response(unsigned version, const sdk::Error& error);

// invalid_input/not_found: 400, permission: 403, auth: 409, quota and rate
// limits: 429, remote trouble: 502, the rest: 500.
[[nodiscard]] http::status status_for(const sdk::Error& error) noexcept;

}  // namespace photosync::server
