// Authorized calls to the Photos Library API: the bearer token added, one
// refresh-and-retry when the service says 401, replies returned whatever
// their status (callers classify with api_errors), and JSON helpers.
#pragma once

#include <nlohmann/json.hpp>

#include "access_tokens.hpp"
#include "http_client.hpp"
#include "request_budget.hpp"

namespace photosync::gphotos {

class ApiClient {
  public:
    // Every request sent (each attempt) takes one from `budget` when there is one.
    ApiClient(HttpClient& http, AccessTokens& tokens, RequestBudget* budget = nullptr)
        : http_(http), tokens_(tokens), budget_(budget) {}

    // Sends `request` with the access token. On 401 the token is renewed and
    // the request sent once more (a 401 means nothing was done). A failure to
    // get a token, or today's request budget used up (quota_exhausted), comes
    // back as an HttpFailure that was not delivered.
    sdk::awaitable<HttpResult> send(HttpRequest request);

    // A JSON request (body may be null for GET), expecting 200 and a JSON
    // object back. Errors: classified replies (api_errors) and transport
    // errors; a lost reply is transient here (use send() where that matters).
    sdk::awaitable<sdk::Result<nlohmann::json>> call_json(boost::beast::http::verb method,
                                                          std::string url, nlohmann::json body,
                                                          std::string what);

    HttpClient& http() noexcept { return http_; }

  private:
    HttpClient& http_;
    AccessTokens& tokens_;
    RequestBudget* budget_;
};

// Parses a reply body as a JSON object. Errors: protocol.
[[nodiscard]] sdk::Result<nlohmann::json> parse_json_object(const std::string& body,
                                                            std::string_view what);

// JSON text of `value`; invalid UTF-8 (from odd file names) is replaced, never thrown.
[[nodiscard]] std::string dump_json(const nlohmann::json& value);

}  // namespace photosync::gphotos
