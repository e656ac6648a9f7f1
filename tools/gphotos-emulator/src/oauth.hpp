#pragma once
// Google-shaped OAuth 2.0 for installed apps: authorization endpoint with
// loopback redirect + PKCE, token endpoint (authorization_code,
// refresh_token), revocation, tokeninfo, and bearer checks for API calls.

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "clock.hpp"
#include "config.hpp"
#include "http_types.hpp"
#include "ids.hpp"

namespace gpe {

namespace scope {
inline constexpr std::string_view prefix = "https://www.googleapis.com/auth/";
inline constexpr std::string_view appendonly =
    "https://www.googleapis.com/auth/photoslibrary.appendonly";
inline constexpr std::string_view readonly_appcreated =
    "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata";
inline constexpr std::string_view edit_appcreated =
    "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata";
}  // namespace scope

struct Principal {
    std::string user;
    std::string client_id;
    std::vector<std::string> scopes;
};

struct Grant {
    std::string refresh_token;
    std::string user;
    std::string client_id;
    std::vector<std::string> scopes;
    SysTime created;
    bool revoked = false;
};

struct AccessToken {
    std::string token;
    std::string refresh_token;  // grant it belongs to
    SysTime expires;
};

struct AuthCode {
    std::string client_id, redirect_uri, user, challenge, method, refresh_token_issued;
    std::vector<std::string> scopes;
    SysTime expires;
    bool used = false;
};

class OAuth {
  public:
    OAuth(const Config& cfg, Clock& clock, IdGenerator& ids);

    Response authorize(const Request& req);
    Response token(const Request& req);
    Response revoke(const Request& req);
    Response tokeninfo(const Request& req);

    // Checks the bearer token and that it carries one of any_of scopes.
    std::variant<Principal, Response> authenticate(const Request& req,
                                                   std::span<const std::string_view> any_of);

    // Control-endpoint helpers.
    nlohmann::json issue(const std::string& user, std::vector<std::string> scopes,
                         std::optional<int> ttl_s);
    bool revoke_token(std::string_view token);
    std::size_t revoke_all();
    void set_deny(bool deny);
    void set_access_ttl(int s);
    nlohmann::json dump() const;

    // Persistence (grants and live access tokens; codes are short-lived).
    nlohmann::json to_json() const;
    void load_json(const nlohmann::json& j);
    std::uint64_t version() const;
    void clear();

  private:
    nlohmann::json issue_locked(const Grant& g, bool include_refresh);
    bool client_auth(const Request& req, const QueryParams& form, std::string& client_id,
                     Response& err) const;
    bool grant_alive(const Grant& g) const;

    Config cfg_;
    Clock& clock_;
    IdGenerator& ids_;
    mutable std::mutex mu_;
    bool deny_ = false;
    int access_ttl_s_;
    std::unordered_map<std::string, Grant> grants_;        // by refresh token
    std::unordered_map<std::string, AccessToken> access_;  // by access token
    std::unordered_map<std::string, AuthCode> codes_;      // by code
    std::uint64_t version_ = 0;
};

bool is_known_scope(std::string_view s);
bool is_removed_scope(std::string_view s);
bool is_loopback_redirect(std::string_view uri);
std::string pkce_s256(std::string_view verifier);

}  // namespace gpe
