#include "oauth.hpp"

#include <algorithm>

#include "errors.hpp"
#include "http_util.hpp"
#include "sha256.hpp"

namespace gpe {

using nlohmann::json;

namespace {

constexpr std::string_view kKnownScopes[] = {
    scope::appendonly,
    scope::readonly_appcreated,
    scope::edit_appcreated,
    "https://www.googleapis.com/auth/photospicker.mediaitems.readonly",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
    "openid",
    "email",
    "profile",
};

// Removed on 2025-03-31: new grants fail (reference §7.1).
constexpr std::string_view kRemovedScopes[] = {
    "https://www.googleapis.com/auth/photoslibrary",
    "https://www.googleapis.com/auth/photoslibrary.readonly",
    "https://www.googleapis.com/auth/photoslibrary.sharing",
};

std::string join(const std::vector<std::string>& v, char sep) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty())
            out.push_back(sep);
        out += s;
    }
    return out;
}

std::vector<std::string> split_scopes(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const auto p = s.find_first_of(" +");
        if (p != 0) {
            std::string one(s.substr(0, p));
            if (std::find(out.begin(), out.end(), one) == out.end())
                out.push_back(std::move(one));
        }
        if (p == std::string_view::npos)
            break;
        s.remove_prefix(p + 1);
    }
    return out;
}

Response error_page(int code, std::string_view error, std::string_view detail) {
    // Google shows an HTML error page (no redirect) for client/redirect problems.
    std::string body = "<!doctype html><html><head><title>Error " + std::to_string(code) + ": " +
                       std::string(error) +
                       "</title></head><body><h1>Access blocked</h1><p>Error " +
                       std::to_string(code) + ": " + std::string(error) + "</p><p>" +
                       std::string(detail) + "</p></body></html>";
    return Response::html(static_cast<http::status>(code), std::move(body));
}

QueryParams request_form(const Request& req) {
    // The token endpoint takes form bodies; Google also accepts JSON bodies.
    const auto ct = req.header(http::field::content_type);
    if (ct.find("application/json") != std::string_view::npos) {
        QueryParams out;
        auto j = json::parse(req.body, nullptr, false);
        if (j.is_object())
            for (auto& [k, v] : j.items())
                out.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
        return out;
    }
    QueryParams out = parse_query(req.body);
    // Parameters in the URL count too.
    for (const auto& kv : req.query)
        out.push_back(kv);
    return out;
}

std::string_view form_get(const QueryParams& f, std::string_view k) {
    for (const auto& [a, b] : f)
        if (a == k)
            return b;
    return {};
}

bool form_has(const QueryParams& f, std::string_view k) {
    return std::any_of(f.begin(), f.end(), [&](const auto& kv) { return kv.first == k; });
}

Response no_store(Response r) {
    r.headers.set(http::field::cache_control, "no-cache, no-store, max-age=0, must-revalidate");
    r.headers.set(http::field::pragma, "no-cache");
    return r;
}

}  // namespace

bool is_known_scope(std::string_view s) {
    return std::find(std::begin(kKnownScopes), std::end(kKnownScopes), s) != std::end(kKnownScopes);
}

bool is_removed_scope(std::string_view s) {
    return std::find(std::begin(kRemovedScopes), std::end(kRemovedScopes), s) !=
           std::end(kRemovedScopes);
}

bool is_loopback_redirect(std::string_view uri) {
    // http://127.0.0.1[:port][/...], http://localhost[:port][/...], http://[::1][:port][/...]
    if (!uri.starts_with("http://"))
        return false;
    std::string_view rest = uri.substr(7);
    std::string_view host;
    if (rest.starts_with("[::1]")) {
        host = "[::1]";
    } else {
        host = rest.substr(0, rest.find_first_of(":/?#"));
    }
    if (host != "127.0.0.1" && host != "localhost" && host != "[::1]")
        return false;
    rest.remove_prefix(host.size());
    if (rest.starts_with(":")) {
        const auto port = rest.substr(1, rest.find_first_of("/?#") - 1);
        if (port.empty() || !parse_u64(port) || *parse_u64(port) > 65535)
            return false;
    }
    return rest.find('#') == std::string_view::npos;
}

std::string pkce_s256(std::string_view verifier) {
    const auto d = sha256(verifier);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

OAuth::OAuth(const Config& cfg, Clock& clock, IdGenerator& ids)
    : cfg_(cfg),
      clock_(clock),
      ids_(ids),
      deny_(cfg.deny_authorization),
      access_ttl_s_(cfg.access_token_ttl_s) {}

Response OAuth::authorize(const Request& req) {
    const auto client_id = req.param("client_id");
    const auto redirect_uri = req.param("redirect_uri");
    if (client_id.empty())
        return error_page(400, "invalid_request", "Missing required parameter: client_id");
    if (client_id != cfg_.client_id)
        return error_page(401, "invalid_client", "The OAuth client was not found.");
    if (redirect_uri.empty())
        return error_page(400, "invalid_request", "Missing required parameter: redirect_uri");
    if (redirect_uri.starts_with("urn:ietf:wg:oauth:2.0:oob") || redirect_uri == "oob")
        return error_page(400, "invalid_request",
                          "The out-of-band (OOB) flow has been blocked in order to keep users "
                          "secure.");
    if (!is_loopback_redirect(redirect_uri))
        return error_page(400, "redirect_uri_mismatch",
                          "Desktop clients may only redirect to a loopback address: " +
                              std::string(redirect_uri));
    const auto response_type = req.param("response_type");
    if (response_type.empty())
        return error_page(400, "invalid_request", "Required parameter is missing: response_type");
    if (response_type != "code")
        return error_page(400, "unsupported_response_type",
                          "Invalid response_type: " + std::string(response_type));
    const auto scopes = split_scopes(req.param("scope"));
    if (scopes.empty())
        return error_page(400, "invalid_request", "Missing required parameter: scope");
    std::vector<std::string> bad;
    for (const auto& s : scopes)
        if (!is_known_scope(s))
            bad.push_back(s);
    if (!bad.empty())
        return error_page(400, "invalid_scope",
                          "Some requested scopes were invalid. {invalid=[" + join(bad, ',') + "]}");
    const auto challenge = req.param("code_challenge");
    std::string method(req.param("code_challenge_method"));
    if (!challenge.empty()) {
        if (method.empty())
            method = "plain";
        if (method != "S256" && method != "plain")
            return error_page(400, "invalid_request", "Invalid code_challenge_method: " + method);
        if (challenge.size() < 43 || challenge.size() > 128)
            return error_page(400, "invalid_request", "Invalid code_challenge.");
    } else if (cfg_.require_pkce) {
        return error_page(400, "invalid_request",
                          "Missing required parameter: code_challenge (this emulator requires "
                          "PKCE; start it with --allow-no-pkce to relax)");
    }

    const std::string state(req.param("state"));
    const std::string sep = std::string(redirect_uri).find('?') == std::string::npos ? "?" : "&";
    std::lock_guard lock(mu_);
    if (deny_) {
        std::string loc = std::string(redirect_uri) + sep + "error=access_denied";
        if (req.has_param("state"))
            loc += "&state=" + percent_encode(state);
        return Response::redirect(std::move(loc));
    }
    const std::string code = ids_.auth_code();
    AuthCode ac;
    ac.client_id = client_id;
    ac.redirect_uri = redirect_uri;
    ac.user =
        req.param("login_hint").empty() ? cfg_.default_user : std::string(req.param("login_hint"));
    ac.challenge = challenge;
    ac.method = method;
    ac.scopes = scopes;
    ac.expires = clock_.now() + std::chrono::seconds(cfg_.auth_code_ttl_s);
    codes_[code] = std::move(ac);
    std::string loc = std::string(redirect_uri) + sep;
    if (req.has_param("state"))
        loc += "state=" + percent_encode(state) + "&";
    loc += "code=" + percent_encode(code) + "&scope=" + percent_encode(join(scopes, ' '));
    return Response::redirect(std::move(loc));
}

bool OAuth::client_auth(const Request& req, const QueryParams& form, std::string& client_id,
                        Response& err) const {
    std::string secret;
    const auto authz = req.header(http::field::authorization);
    if (authz.size() > 6 && iequals(authz.substr(0, 6), "basic ")) {
        const auto decoded = base64_decode(trim(authz.substr(6)));
        if (!decoded || decoded->find(':') == std::string::npos) {
            err = oauth_error(401, "invalid_client", "Unauthorized");
            return false;
        }
        const auto colon = decoded->find(':');
        client_id = percent_decode(decoded->substr(0, colon), true);
        secret = percent_decode(decoded->substr(colon + 1), true);
    } else {
        client_id = form_get(form, "client_id");
        secret = form_get(form, "client_secret");
    }
    if (client_id.empty()) {
        err = oauth_error(400, "invalid_request", "Could not determine client ID from request.");
        return false;
    }
    if (client_id != cfg_.client_id) {
        err = oauth_error(401, "invalid_client", "The OAuth client was not found.");
        return false;
    }
    if (secret != cfg_.client_secret) {
        err = oauth_error(401, "invalid_client", "Unauthorized");
        return false;
    }
    return true;
}

bool OAuth::grant_alive(const Grant& g) const {
    if (g.revoked)
        return false;
    if (cfg_.refresh_token_ttl_s > 0 &&
        clock_.now() >= g.created + std::chrono::seconds(cfg_.refresh_token_ttl_s))
        return false;
    return true;
}

json OAuth::issue_locked(const Grant& g, bool include_refresh) {
    AccessToken at;
    at.token = ids_.access_token();
    at.refresh_token = g.refresh_token;
    at.expires = clock_.now() + std::chrono::seconds(access_ttl_s_);
    json j;
    j["access_token"] = at.token;
    j["expires_in"] = access_ttl_s_ > 1 ? access_ttl_s_ - 1 : access_ttl_s_;
    if (include_refresh) {
        j["refresh_token"] = g.refresh_token;
        if (cfg_.refresh_token_ttl_s > 0)
            j["refresh_token_expires_in"] = cfg_.refresh_token_ttl_s;
    }
    j["scope"] = join(g.scopes, ' ');
    j["token_type"] = "Bearer";
    access_.emplace(at.token, std::move(at));
    ++version_;
    return j;
}

Response OAuth::token(const Request& req) {
    if (req.method != http::verb::post)
        return oauth_error(405, "invalid_request", "Method not allowed; use POST.");
    const QueryParams form = request_form(req);
    const auto grant_type = form_get(form, "grant_type");
    if (grant_type.empty())
        return oauth_error(400, "unsupported_grant_type", "Invalid grant_type: ");
    if (grant_type != "authorization_code" && grant_type != "refresh_token")
        return oauth_error(400, "unsupported_grant_type",
                           "Invalid grant_type: " + std::string(grant_type));
    std::string client_id;
    Response err;
    if (!client_auth(req, form, client_id, err))
        return err;

    std::lock_guard lock(mu_);
    if (grant_type == "authorization_code") {
        const std::string code(form_get(form, "code"));
        if (code.empty())
            return oauth_error(400, "invalid_request", "Missing required parameter: code");
        if (!form_has(form, "redirect_uri"))
            return oauth_error(400, "invalid_request", "Missing required parameter: redirect_uri");
        auto it = codes_.find(code);
        if (it == codes_.end())
            return oauth_error(400, "invalid_grant", "Malformed auth code.");
        AuthCode& ac = it->second;
        if (ac.used) {
            // RFC 6749 §4.1.2: a replayed code revokes what it issued.
            if (auto g = grants_.find(ac.refresh_token_issued); g != grants_.end())
                g->second.revoked = true;
            ++version_;
            return oauth_error(400, "invalid_grant", "Bad Request");
        }
        if (clock_.now() >= ac.expires)
            return oauth_error(400, "invalid_grant", "Bad Request");
        if (ac.client_id != client_id)
            return oauth_error(400, "invalid_grant", "Bad Request");
        if (form_get(form, "redirect_uri") != ac.redirect_uri)
            return oauth_error(400, "redirect_uri_mismatch", "Bad Request");
        if (!ac.challenge.empty()) {
            const auto verifier = form_get(form, "code_verifier");
            if (verifier.empty())
                return oauth_error(400, "invalid_grant", "Missing code verifier.");
            const std::string computed =
                ac.method == "S256" ? pkce_s256(verifier) : std::string(verifier);
            if (computed != ac.challenge)
                return oauth_error(400, "invalid_grant", "Invalid code verifier.");
        }
        ac.used = true;
        Grant g;
        g.refresh_token = ids_.refresh_token();
        g.user = ac.user;
        g.client_id = client_id;
        g.scopes = ac.scopes;
        g.created = clock_.now();
        ac.refresh_token_issued = g.refresh_token;
        auto [gi, ok] = grants_.emplace(g.refresh_token, std::move(g));
        (void)ok;
        return no_store(Response::json(http::status::ok, issue_locked(gi->second, true).dump(2)));
    }
    const std::string rt(form_get(form, "refresh_token"));
    if (rt.empty())
        return oauth_error(400, "invalid_request", "Missing required parameter: refresh_token");
    auto it = grants_.find(rt);
    if (it == grants_.end() || !grant_alive(it->second))
        return oauth_error(400, "invalid_grant", msg::token_expired_or_revoked);
    if (it->second.client_id != client_id)
        return oauth_error(401, "unauthorized_client", "Unauthorized");
    return no_store(Response::json(http::status::ok, issue_locked(it->second, false).dump(2)));
}

Response OAuth::revoke(const Request& req) {
    if (req.method != http::verb::post)
        return oauth_error(405, "invalid_request", "Method not allowed; use POST.");
    const QueryParams form = request_form(req);
    const std::string tok(form_get(form, "token"));
    if (tok.empty())
        return oauth_error(400, "invalid_request", "Missing required parameter: token");
    if (!revoke_token(tok))
        return oauth_error(400, "invalid_token", "Token expired or revoked");
    return Response::json(http::status::ok, "{}");
}

bool OAuth::revoke_token(std::string_view tok) {
    std::lock_guard lock(mu_);
    std::string grant;
    if (auto it = grants_.find(std::string(tok)); it != grants_.end() && !it->second.revoked) {
        grant = it->first;
    } else if (auto a = access_.find(std::string(tok)); a != access_.end()) {
        grant = a->second.refresh_token;
    } else {
        return false;
    }
    // Google revokes the whole grant: the refresh token and every access token.
    if (auto g = grants_.find(grant); g != grants_.end())
        g->second.revoked = true;
    std::erase_if(access_, [&](const auto& kv) { return kv.second.refresh_token == grant; });
    ++version_;
    return true;
}

std::size_t OAuth::revoke_all() {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (auto& [k, g] : grants_)
        if (!g.revoked) {
            g.revoked = true;
            ++n;
        }
    access_.clear();
    ++version_;
    return n;
}

Response OAuth::tokeninfo(const Request& req) {
    std::string tok(req.param("access_token"));
    if (tok.empty())
        tok = form_get(parse_query(req.body), "access_token");
    std::lock_guard lock(mu_);
    auto a = access_.find(tok);
    if (a == access_.end() || clock_.now() >= a->second.expires)
        return oauth_error(400, "invalid_token", "Invalid Value");
    auto g = grants_.find(a->second.refresh_token);
    if (g == grants_.end() || !grant_alive(g->second))
        return oauth_error(400, "invalid_token", "Invalid Value");
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(a->second.expires - clock_.now()).count();
    json j{{"azp", g->second.client_id},
           {"aud", g->second.client_id},
           {"scope", join(g->second.scopes, ' ')},
           {"exp", std::to_string(to_unix_seconds(a->second.expires))},
           {"expires_in", std::to_string(left)},
           {"email", g->second.user},
           {"email_verified", "true"},
           {"access_type", "offline"}};
    return Response::json(http::status::ok, j.dump(2));
}

std::variant<Principal, Response> OAuth::authenticate(const Request& req,
                                                      std::span<const std::string_view> any_of) {
    std::string tok;
    const auto authz = req.header(http::field::authorization);
    if (!authz.empty()) {
        if (authz.size() <= 7 || !iequals(authz.substr(0, 7), "bearer "))
            return unauthenticated(msg::invalid_credentials);
        tok = trim(authz.substr(7));
    } else if (req.has_param("access_token")) {
        tok = req.param("access_token");
    } else {
        return unauthenticated(msg::missing_credentials);
    }
    std::lock_guard lock(mu_);
    auto a = access_.find(tok);
    if (a == access_.end() || clock_.now() >= a->second.expires)
        return unauthenticated(msg::invalid_credentials);
    auto g = grants_.find(a->second.refresh_token);
    if (g == grants_.end() || g->second.revoked)
        return unauthenticated(msg::invalid_credentials);
    const auto& scopes = g->second.scopes;
    const bool ok = std::any_of(any_of.begin(), any_of.end(), [&](std::string_view s) {
        return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
    });
    if (!ok)
        return insufficient_scopes();
    return Principal{g->second.user, g->second.client_id, scopes};
}

json OAuth::issue(const std::string& user, std::vector<std::string> scopes,
                  std::optional<int> ttl_s) {
    std::lock_guard lock(mu_);
    Grant g;
    g.refresh_token = ids_.refresh_token();
    g.user = user.empty() ? cfg_.default_user : user;
    g.client_id = cfg_.client_id;
    g.scopes = std::move(scopes);
    g.created = clock_.now();
    auto [gi, ok] = grants_.emplace(g.refresh_token, std::move(g));
    (void)ok;
    const int saved = access_ttl_s_;
    if (ttl_s)
        access_ttl_s_ = *ttl_s;
    json j = issue_locked(gi->second, true);
    access_ttl_s_ = saved;
    return j;
}

void OAuth::set_deny(bool deny) {
    std::lock_guard lock(mu_);
    deny_ = deny;
}

void OAuth::set_access_ttl(int s) {
    std::lock_guard lock(mu_);
    access_ttl_s_ = s;
}

json OAuth::dump() const {
    std::lock_guard lock(mu_);
    json grants = json::array();
    for (const auto& [k, g] : grants_)
        grants.push_back({{"refresh_token", g.refresh_token},
                          {"user", g.user},
                          {"client_id", g.client_id},
                          {"scopes", g.scopes},
                          {"created", to_rfc3339(g.created)},
                          {"revoked", g.revoked},
                          {"alive", grant_alive(g)}});
    std::size_t live = 0;
    for (const auto& [k, a] : access_)
        if (clock_.now() < a.expires)
            ++live;
    return {{"grants", grants},
            {"access_tokens", access_.size()},
            {"live_access_tokens", live},
            {"deny_authorization", deny_},
            {"access_token_ttl_s", access_ttl_s_}};
}

json OAuth::to_json() const {
    std::lock_guard lock(mu_);
    json grants = json::array(), access = json::array();
    for (const auto& [k, g] : grants_)
        grants.push_back({{"refresh_token", g.refresh_token},
                          {"user", g.user},
                          {"client_id", g.client_id},
                          {"scopes", g.scopes},
                          {"created", to_unix_seconds(g.created)},
                          {"revoked", g.revoked}});
    for (const auto& [k, a] : access_)
        access.push_back({{"token", a.token},
                          {"refresh_token", a.refresh_token},
                          {"expires", to_unix_seconds(a.expires)}});
    return {{"grants", grants}, {"access_tokens", access}};
}

void OAuth::load_json(const json& j) {
    std::lock_guard lock(mu_);
    for (const auto& g : j.value("grants", json::array())) {
        Grant x;
        x.refresh_token = g.at("refresh_token").get<std::string>();
        x.user = g.at("user").get<std::string>();
        x.client_id = g.at("client_id").get<std::string>();
        x.scopes = g.at("scopes").get<std::vector<std::string>>();
        x.created = from_unix_seconds(g.at("created"));
        x.revoked = g.value("revoked", false);
        grants_[x.refresh_token] = std::move(x);
    }
    for (const auto& a : j.value("access_tokens", json::array())) {
        AccessToken x;
        x.token = a.at("token").get<std::string>();
        x.refresh_token = a.at("refresh_token").get<std::string>();
        x.expires = from_unix_seconds(a.at("expires"));
        access_[x.token] = std::move(x);
    }
}

std::uint64_t OAuth::version() const {
    std::lock_guard lock(mu_);
    return version_;
}

void OAuth::clear() {
    std::lock_guard lock(mu_);
    grants_.clear();
    access_.clear();
    codes_.clear();
    ++version_;
}

}  // namespace gpe
