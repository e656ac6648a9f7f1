// OAuth 2.0: authorization (loopback redirect, PKCE), token, refresh,
// revoke, expiry, scopes, and the Google-shaped errors.
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "http_util.hpp"
#include "oauth.hpp"

using namespace emu_test;

namespace {

const std::string kClient = "emulator-client-id.apps.googleusercontent.com";
const std::string kSecret = "GOCSPX-emulator-client-secret";
const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const std::string kRedirect = "http://127.0.0.1:5555/cb";

std::string auth_url(const std::string& scope = kAppend + " " + kRead, bool pkce = true,
                     const std::string& redirect = kRedirect) {
    std::string u = "/o/oauth2/v2/auth?client_id=" + gpe::percent_encode(kClient) +
                    "&redirect_uri=" + gpe::percent_encode(redirect) +
                    "&response_type=code&scope=" + gpe::percent_encode(scope) + "&state=st4te";
    if (pkce)
        u += "&code_challenge=" + gpe::pkce_s256(kVerifier) + "&code_challenge_method=S256";
    return u;
}

std::string param(const std::string& location, const std::string& name) {
    std::string path;
    gpe::QueryParams q;
    gpe::split_target(location.substr(location.find('?')), path, q);
    for (auto& [k, v] : q)
        if (k == name)
            return v;
    return {};
}

Reply token_call(Emulator& emu, const std::string& form) {
    HttpClient c(emu.https_port, true, emu.ca_file);
    return c.request("POST", "/token", form,
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
}

std::string code_form(const std::string& code, const std::string& verifier = kVerifier) {
    return "grant_type=authorization_code&code=" + gpe::percent_encode(code) +
           "&client_id=" + gpe::percent_encode(kClient) + "&client_secret=" + kSecret +
           "&redirect_uri=" + gpe::percent_encode(kRedirect) + "&code_verifier=" + verifier;
}

std::string refresh_form(const std::string& rt) {
    return "grant_type=refresh_token&refresh_token=" + gpe::percent_encode(rt) +
           "&client_id=" + gpe::percent_encode(kClient) + "&client_secret=" + kSecret;
}

std::string get_code(Emulator& emu, const std::string& url = auth_url()) {
    HttpClient c(emu.https_port, true, emu.ca_file);
    const Reply r = c.request("GET", url);
    REQUIRE(r.status == 302);
    return param(r.header("Location"), "code");
}

}  // namespace

TEST_CASE("authorization code flow with PKCE, refresh and revoke") {
    Emulator emu;
    HttpClient c(emu.https_port, true, emu.ca_file);
    const Reply a = c.request("GET", auth_url());
    REQUIRE(a.status == 302);
    const std::string loc = a.header("Location");
    CHECK(loc.starts_with(kRedirect + "?"));
    CHECK(param(loc, "state") == "st4te");
    const std::string code = param(loc, "code");
    CHECK(code.starts_with("4/"));
    CHECK(param(loc, "scope") == kAppend + " " + kRead);

    const Reply t = token_call(emu, code_form(code));
    REQUIRE(t.status == 200);
    const json tj = t.json_body();
    CHECK(tj["token_type"] == "Bearer");
    CHECK(tj["expires_in"] == 3599);
    CHECK(tj["scope"] == kAppend + " " + kRead);
    CHECK(tj["access_token"].get<std::string>().starts_with("ya29."));
    const std::string rt = tj["refresh_token"];
    CHECK(t.header("Cache-Control").find("no-store") != std::string::npos);

    CHECK(emu.api("GET", "/v1/albums", tj["access_token"]).status == 200);

    SECTION("the code is single use, and replay revokes what it issued") {
        const Reply again = token_call(emu, code_form(code));
        CHECK(again.status == 400);
        CHECK(again.json_body()["error"] == "invalid_grant");
        const Reply r = token_call(emu, refresh_form(rt));
        CHECK(r.status == 400);
    }
    SECTION("refresh gives a new access token and no new refresh token") {
        const Reply r = token_call(emu, refresh_form(rt));
        REQUIRE(r.status == 200);
        CHECK_FALSE(r.json_body().contains("refresh_token"));
        CHECK(r.json_body()["access_token"] != tj["access_token"]);
        CHECK(emu.api("GET", "/v1/albums", r.json_body()["access_token"]).status == 200);
    }
    SECTION("revoke kills the refresh token and its access tokens") {
        const Reply rv = c.request("POST", "/revoke?token=" + gpe::percent_encode(rt), "",
                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
        CHECK(rv.status == 200);
        const Reply r = token_call(emu, refresh_form(rt));
        CHECK(r.status == 400);
        CHECK(r.json_body() == json{{"error", "invalid_grant"},
                                    {"error_description", "Token has been expired or revoked."}});
        CHECK(emu.api("GET", "/v1/albums", tj["access_token"]).status == 401);
        const Reply twice = c.request("POST", "/revoke", "token=" + gpe::percent_encode(rt),
                                      {{"Content-Type", "application/x-www-form-urlencoded"}});
        CHECK(twice.status == 400);
        CHECK(twice.json_body()["error"] == "invalid_token");
    }
    SECTION("control call revokes a refresh token") {
        emu.control("POST", "/oauth/revoke", {{"token", rt}});
        CHECK(token_call(emu, refresh_form(rt)).json_body()["error"] == "invalid_grant");
    }
    SECTION("tokeninfo reports scopes") {
        const Reply ti = c.request(
            "GET", "/oauth2/v3/tokeninfo?access_token=" + tj["access_token"].get<std::string>());
        CHECK(ti.status == 200);
        CHECK(ti.json_body()["scope"] == kAppend + " " + kRead);
    }
}

TEST_CASE("PKCE verification") {
    Emulator emu;
    SECTION("wrong verifier") {
        const Reply r = token_call(emu, code_form(get_code(emu), std::string(43, 'x')));
        CHECK(r.status == 400);
        CHECK(r.json_body()["error"] == "invalid_grant");
    }
    SECTION("missing verifier") {
        std::string form = code_form(get_code(emu));
        form = form.substr(0, form.find("&code_verifier"));
        const Reply r = token_call(emu, form);
        CHECK(r.status == 400);
        CHECK(r.json_body()["error_description"] == "Missing code verifier.");
    }
    SECTION("authorization without PKCE is refused unless allowed") {
        HttpClient c(emu.https_port, true, emu.ca_file);
        CHECK(c.request("GET", auth_url(kAppend, false)).status == 400);
        Emulator relaxed({"--allow-no-pkce"});
        HttpClient c2(relaxed.https_port, true, relaxed.ca_file);
        CHECK(c2.request("GET", auth_url(kAppend, false)).status == 302);
    }
}

TEST_CASE("authorization endpoint errors and denial") {
    Emulator emu;
    HttpClient c(emu.https_port, true, emu.ca_file);
    CHECK(c.request("GET", auth_url("https://www.googleapis.com/auth/photoslibrary")).status ==
          400);
    CHECK(c.request("GET", auth_url(kAppend, true, "urn:ietf:wg:oauth:2.0:oob")).status == 400);
    CHECK(c.request("GET", auth_url(kAppend, true, "https://evil.example/cb")).status == 400);
    CHECK(c.request("GET", "/o/oauth2/v2/auth?client_id=nope&redirect_uri=" +
                               gpe::percent_encode(kRedirect) + "&response_type=code&scope=x")
              .status == 401);
    emu.control("POST", "/oauth/settings", {{"deny", true}});
    const Reply d = c.request("GET", auth_url());
    REQUIRE(d.status == 302);
    CHECK(param(d.header("Location"), "error") == "access_denied");
    CHECK(param(d.header("Location"), "state") == "st4te");
    CHECK(param(d.header("Location"), "code").empty());

    Emulator denying({"--deny-authorization"});
    HttpClient c2(denying.https_port, true, denying.ca_file);
    CHECK(param(c2.request("GET", auth_url()).header("Location"), "error") == "access_denied");
}

TEST_CASE("token endpoint errors") {
    Emulator emu;
    CHECK(token_call(emu, "grant_type=password").json_body()["error"] == "unsupported_grant_type");
    const Reply bad_secret = token_call(
        emu, "grant_type=refresh_token&refresh_token=x&client_id=" + gpe::percent_encode(kClient) +
                 "&client_secret=no");
    CHECK(bad_secret.status == 401);
    CHECK(bad_secret.json_body()["error"] == "invalid_client");
    const Reply unknown = token_call(emu, refresh_form("1//nope"));
    CHECK(unknown.status == 400);
    CHECK(unknown.json_body()["error_description"] == "Token has been expired or revoked.");
    const Reply no_code =
        token_call(emu, "grant_type=authorization_code&client_id=" + gpe::percent_encode(kClient) +
                            "&client_secret=" + kSecret);
    CHECK(no_code.json_body()["error"] == "invalid_request");
    // HTTP Basic client authentication works too.
    const std::string code = get_code(emu);
    HttpClient c(emu.https_port, true, emu.ca_file);
    const Reply basic = c.request(
        "POST", "/token",
        "grant_type=authorization_code&code=" + gpe::percent_encode(code) +
            "&redirect_uri=" + gpe::percent_encode(kRedirect) + "&code_verifier=" + kVerifier,
        {{"Content-Type", "application/x-www-form-urlencoded"},
         {"Authorization", "Basic " + gpe::base64_encode(kClient + ":" + kSecret)}});
    CHECK(basic.status == 200);
}

TEST_CASE("access tokens expire on the emulated clock") {
    Emulator emu({"--access-token-ttl", "60"});
    const json t = emu.control("POST", "/oauth/token", json::object());
    CHECK(t["expires_in"] == 59);
    CHECK(emu.api("GET", "/v1/albums", t["access_token"]).status == 200);
    emu.control("POST", "/clock/advance", {{"seconds", 61}});
    const Reply r = emu.api("GET", "/v1/albums", t["access_token"]);
    CHECK(r.status == 401);
    CHECK(r.json_body()["error"]["status"] == "UNAUTHENTICATED");
    CHECK(r.header("WWW-Authenticate").find("invalid_token") != std::string::npos);
    const Reply refreshed = token_call(emu, refresh_form(t["refresh_token"]));
    REQUIRE(refreshed.status == 200);
    CHECK(emu.api("GET", "/v1/albums", refreshed.json_body()["access_token"]).status == 200);
}

TEST_CASE("refresh tokens can be given a lifetime (Testing-mode apps)") {
    Emulator emu({"--refresh-token-ttl", "604800"});
    const json t = emu.control("POST", "/oauth/token", json::object());
    CHECK(token_call(emu, refresh_form(t["refresh_token"])).status == 200);
    emu.control("POST", "/clock/advance", {{"seconds", 604801}});
    CHECK(token_call(emu, refresh_form(t["refresh_token"])).json_body()["error"] ==
          "invalid_grant");
}

TEST_CASE("bearer checks and scopes on API calls") {
    Emulator emu;
    const Reply none = emu.api("GET", "/v1/albums", "");
    CHECK(none.status == 401);
    CHECK(none.json_body()["error"]["message"].get<std::string>().starts_with(
        "Request is missing required authentication credential"));
    CHECK(emu.api("GET", "/v1/albums", "ya29.bogus").status == 401);

    const std::string append = emu.access_token({kAppend});
    const std::string read = emu.access_token({kRead});
    const Reply list = emu.api("GET", "/v1/albums", append);
    CHECK(list.status == 403);
    CHECK(list.json_body()["error"]["message"] ==
          "Request had insufficient authentication scopes.");
    CHECK(list.json_body()["error"]["status"] == "PERMISSION_DENIED");
    CHECK(emu.api("GET", "/v1/albums", read).status == 200);
    CHECK(emu.api("POST", "/v1/albums", read, R"({"album":{"title":"x"}})").status == 403);
    CHECK_NOTHROW(emu.upload_raw(append, jpeg_bytes()));
    CHECK_THROWS(emu.upload_raw(read, jpeg_bytes()));
    // batchRemoveMediaItems needs edit.appcreateddata.
    const std::string album = emu.create_album(append, "a");
    CHECK(emu.api("POST", "/v1/albums/" + album + ":batchRemoveMediaItems", append,
                  R"({"mediaItemIds":["x"]})")
              .status == 403);
}
