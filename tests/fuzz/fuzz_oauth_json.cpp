// The OAuth JSON the plugin reads (plugins/gphotos): the client file
// (client_secret.json, parse_client_secret), the stored sign-in
// (credentials.json, parse_stored_credentials) and the token endpoint's 200
// reply (parse_grant). Every input goes to all three. What they accept has
// what it must (client id and secret, refresh token, access token with a
// lifetime the renewal schedule can use); what they refuse is one line.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "access_tokens.hpp"
#include "client_secret.hpp"
#include "fuzz_support.hpp"
#include "oauth_endpoints.hpp"
#include "token_store.hpp"

using namespace photosync;
using sdk::ErrorKind;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);

    if (auto secret = gphotos::parse_client_secret(text, "client_secret.json")) {
        PHOTOSYNC_FUZZ_CHECK(!secret->client_id.empty() && !secret->client_secret.empty(), text);
    } else {
        PHOTOSYNC_FUZZ_CHECK(secret.error().kind == ErrorKind::auth, secret.error().message);
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(secret.error().message), secret.error().message);
    }

    if (auto stored = gphotos::parse_stored_credentials(text, "credentials.json")) {
        PHOTOSYNC_FUZZ_CHECK(!stored->refresh_token.empty(), text);
    } else {
        PHOTOSYNC_FUZZ_CHECK(stored.error().kind == ErrorKind::auth, stored.error().message);
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(stored.error().message), stored.error().message);
    }

    gphotos::HttpResponse reply;
    reply.status = 200;
    reply.headers.insert("Content-Type", "application/json");
    reply.body = text;
    if (auto grant = gphotos::parse_grant(reply, "renewing the sign-in")) {
        PHOTOSYNC_FUZZ_CHECK(!grant->access_token.empty(), text);
        PHOTOSYNC_FUZZ_CHECK(
            grant->expires_in.count() >= 0 && grant->expires_in <= gphotos::kMaxTokenLifetime,
            text);
        const auto now = std::chrono::steady_clock::now();
        PHOTOSYNC_FUZZ_CHECK(gphotos::renew_at(now, grant->expires_in) > now, text);
    } else {
        PHOTOSYNC_FUZZ_CHECK(grant.error().kind == ErrorKind::protocol, grant.error().message);
        PHOTOSYNC_FUZZ_CHECK(fuzz::is_one_line(grant.error().message), grant.error().message);
    }
    return 0;
}
