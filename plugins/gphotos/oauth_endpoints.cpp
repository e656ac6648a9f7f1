#include "oauth_endpoints.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api_errors.hpp"
#include "url.hpp"

namespace photosync::gphotos {

namespace http = boost::beast::http;
using sdk::ErrorKind;
using json = nlohmann::json;

namespace {

constexpr const char* kExpired =
    "the Google Photos sign-in has expired or was revoked: run `photosync auth login`";

HttpRequest form_post(const std::string& url, const Params& params) {
    HttpRequest r;
    r.method = http::verb::post;
    r.url = url;
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"}};
    r.body = encode_params(params);
    r.send_content_length = true;
    r.reply_limit = 256 * 1024;
    return r;
}

sdk::awaitable<sdk::Result<TokenGrant>> post_for_grant(HttpClient& http, HttpRequest request,
                                                       std::string what) {
    auto reply = co_await http.send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    if (reply->status != 200) {
        co_return std::unexpected(token_error(*reply, what));
    }
    co_return parse_grant(*reply, what);
}

}  // namespace

sdk::Error token_error(const HttpResponse& response, std::string_view what) {
    auto doc = json::parse(response.body, nullptr, false);
    std::string code;
    if (doc.is_object()) {
        if (auto it = doc.find("error"); it != doc.end() && it->is_string()) {
            code = it->get<std::string>();
        }
    }
    if (code == "invalid_grant") {
        return sdk::Error{ErrorKind::auth, kExpired, std::nullopt};
    }
    if (code == "invalid_client" || code == "unauthorized_client") {
        return sdk::Error{ErrorKind::auth,
                          std::string(what) +
                              ": Google does not accept the OAuth client of client_secret.json (" +
                              error_message(response) +
                              "); check the file, then run `photosync auth login`",
                          std::nullopt};
    }
    if (response.status >= 400 && response.status < 500 && response.status != 429 &&
        response.status != 408) {
        return sdk::Error{ErrorKind::auth,
                          std::string(what) + ": refused (" + error_message(response) + ")",
                          std::nullopt};
    }
    return classify_reply(response, what);
}

sdk::Result<TokenGrant> parse_grant(const HttpResponse& response, std::string_view what) {
    auto doc = json::parse(response.body, nullptr, false);
    if (!doc.is_object()) {
        return sdk::fail(ErrorKind::protocol, std::string(what) + ": the reply is not JSON");
    }
    auto text = [&](const char* key) -> std::string {
        auto it = doc.find(key);
        return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    TokenGrant g{text("access_token"), std::chrono::seconds(3600), text("refresh_token"),
                 text("scope")};
    if (auto it = doc.find("expires_in"); it != doc.end()) {
        if (it->is_number_integer()) {
            g.expires_in = std::chrono::seconds(it->get<std::int64_t>());
        } else if (it->is_string()) {
            try {
                g.expires_in = std::chrono::seconds(std::stoll(it->get<std::string>()));
            } catch (...) {
            }
        }
    }
    // Google's tokens live an hour. 0 to a day, whatever the reply says: a
    // huge expires_in overflowed the renewal time (steady_clock nanoseconds)
    // and "-5" came through as a negative lifetime (tests/fuzz/fuzz_oauth_json).
    g.expires_in = std::clamp(g.expires_in, std::chrono::seconds(0), kMaxTokenLifetime);
    if (g.access_token.empty()) {
        return sdk::fail(ErrorKind::protocol,
                         std::string(what) + ": the reply has no access token");
    }
    return g;
}

sdk::Result<OAuthClient> load_oauth_client(const Settings& settings) {
    auto secret = load_client_secret(settings.client_secret);
    if (!secret) {
        return std::unexpected(secret.error());
    }
    OAuthClient c;
    c.auth_url = !settings.auth_url.empty()  ? settings.auth_url
                 : !secret->auth_uri.empty() ? secret->auth_uri
                                             : kGoogleAuthUrl;
    c.token_url = !settings.token_url.empty()  ? settings.token_url
                  : !secret->token_uri.empty() ? secret->token_uri
                                               : kGoogleTokenUrl;
    c.revoke_url = settings.revoke_url;
    c.secret = std::move(*secret);
    for (const auto* u : {&c.auth_url, &c.token_url}) {
        if (auto parsed = parse_url(*u); !parsed) {
            return sdk::fail(ErrorKind::auth, "client_secret.json: " + parsed.error().message);
        }
    }
    return c;
}

sdk::awaitable<sdk::Result<TokenGrant>> exchange_code(HttpClient& http, const OAuthClient& client,
                                                      std::string code, std::string verifier,
                                                      std::string redirect_uri) {
    auto request = form_post(client.token_url, {{"grant_type", "authorization_code"},
                                                {"code", code},
                                                {"code_verifier", verifier},
                                                {"redirect_uri", redirect_uri},
                                                {"client_id", client.secret.client_id},
                                                {"client_secret", client.secret.client_secret}});
    std::string what = "signing in";
    auto grant = co_await post_for_grant(http, std::move(request), std::move(what));
    co_return grant;
}

sdk::awaitable<sdk::Result<TokenGrant>> refresh_grant(HttpClient& http, const OAuthClient& client,
                                                      std::string refresh_token) {
    auto request = form_post(client.token_url, {{"grant_type", "refresh_token"},
                                                {"refresh_token", refresh_token},
                                                {"client_id", client.secret.client_id},
                                                {"client_secret", client.secret.client_secret}});
    std::string what = "renewing the Google Photos sign-in";
    auto grant = co_await post_for_grant(http, std::move(request), std::move(what));
    co_return grant;
}

sdk::awaitable<sdk::Result<void>> revoke_grant(HttpClient& http, const OAuthClient& client,
                                               std::string token) {
    auto request = form_post(client.revoke_url, {{"token", token}});
    auto reply = co_await http.send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    if (reply->status == 200) {
        co_return sdk::Result<void>{};
    }
    auto doc = json::parse(reply->body, nullptr, false);
    if (reply->status == 400 && doc.is_object() &&
        doc.value("error", std::string()) == "invalid_token") {
        co_return sdk::Result<void>{};  // already revoked or expired: nothing left to revoke
    }
    auto e = classify_reply(*reply, "revoking the Google Photos sign-in");
    co_return std::unexpected(std::move(e));
}

}  // namespace photosync::gphotos
