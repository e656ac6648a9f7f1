// Google's OAuth 2.0 token and revocation endpoints: exchanging an
// authorization code (with its PKCE verifier), refreshing an access token,
// revoking a grant. Secrets travel in form bodies only (never in URLs, so
// never in logs) and never appear in error messages.
#pragma once

#include <chrono>
#include <string>

#include "client_secret.hpp"
#include "http_client.hpp"
#include "settings.hpp"

namespace photosync::gphotos {

// The OAuth client and the endpoints to use with it: the plugin's options
// win, then the client_secret.json, then Google's.
struct OAuthClient {
    ClientSecret secret;
    std::string auth_url;
    std::string token_url;
    std::string revoke_url;
};

// Blocking (reads client_secret.json): call on the blocking executor.
[[nodiscard]] sdk::Result<OAuthClient> load_oauth_client(const Settings& settings);

struct TokenGrant {
    std::string access_token;
    std::chrono::seconds expires_in{0};
    std::string refresh_token;  // only from a code exchange (and rotations)
    std::string scope;
};

// Errors: auth (invalid_grant: the sign-in expired or was revoked; invalid_client),
// transient, rate_limited, protocol, cancelled.
// The token endpoint's reply (any status but 200) as an error: auth for
// invalid_grant (sign-in expired or revoked), invalid_client and other 4xx;
// otherwise classified as any API reply. Only the error code and Google's
// description are shown (they never echo tokens).
[[nodiscard]] sdk::Error token_error(const HttpResponse& response, std::string_view what);

// The longest lifetime an access token is taken to have.
inline constexpr std::chrono::seconds kMaxTokenLifetime{24 * 60 * 60};

// A 200 reply of the token endpoint: the grant (expires_in defaults to an
// hour, and is kept within 0 to kMaxTokenLifetime). Errors: protocol (not
// JSON, no access token).
[[nodiscard]] sdk::Result<TokenGrant> parse_grant(const HttpResponse& response,
                                                  std::string_view what);

sdk::awaitable<sdk::Result<TokenGrant>> exchange_code(HttpClient& http, const OAuthClient& client,
                                                      std::string code, std::string verifier,
                                                      std::string redirect_uri);

sdk::awaitable<sdk::Result<TokenGrant>> refresh_grant(HttpClient& http, const OAuthClient& client,
                                                      std::string refresh_token);

// Success also when the token was already invalid (nothing left to revoke).
sdk::awaitable<sdk::Result<void>> revoke_grant(HttpClient& http, const OAuthClient& client,
                                               std::string token);

inline constexpr const char* kScopeAppendOnly =
    "https://www.googleapis.com/auth/photoslibrary.appendonly";
inline constexpr const char* kScopeReadAppCreated =
    "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata";

}  // namespace photosync::gphotos
