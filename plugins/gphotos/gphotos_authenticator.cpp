#include "gphotos_authenticator.hpp"

#include "oauth_endpoints.hpp"
#include "oauth_login.hpp"
#include "photosync/sdk/blocking.hpp"
#include "tls_context.hpp"
#include "token_store.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;

GphotosAuthenticator::GphotosAuthenticator(sdk::PluginContext context, Settings settings,
                                           std::unique_ptr<HttpClient> http)
    : context_(std::move(context)), settings_(std::move(settings)), http_(std::move(http)) {}

sdk::Result<std::unique_ptr<sdk::Authenticator>> GphotosAuthenticator::create(
    const sdk::PluginContext& context, const sdk::PluginConfig& config) {
    auto settings = parse_settings(context, config);
    if (!settings) {
        return std::unexpected(settings.error());
    }
    auto tls = make_tls_context(settings->ca_file);
    if (!tls) {
        return std::unexpected(tls.error());
    }
    auto http = std::make_unique<HttpClient>(context.io, std::move(*tls), 2, settings->timeout,
                                             *context.log);
    return std::unique_ptr<sdk::Authenticator>(
        new GphotosAuthenticator(context, std::move(*settings), std::move(http)));
}

sdk::awaitable<sdk::Result<std::string>> GphotosAuthenticator::login(sdk::LoginPrompt prompt) {
    auto result =
        co_await run_login(settings_, *http_, context_.blocking, *context_.log, std::move(prompt));
    co_return result;
}

sdk::awaitable<sdk::Result<sdk::AuthStatus>> GphotosAuthenticator::status() {
    TokenStore store(settings_.credentials_file());
    auto stored = co_await sdk::run_blocking(context_.blocking, [&] { return store.load(); });
    if (!stored) {
        co_return std::unexpected(std::move(stored.error()));
    }
    if (!*stored) {
        co_return sdk::AuthStatus{false,
                                  "not signed in to Google Photos: run `photosync auth login`"};
    }
    const auto& c = **stored;
    co_return sdk::AuthStatus{
        true, "signed in to Google Photos (access: " + short_scopes(c.scope) +
                  (c.saved_at.empty() ? std::string() : "; since " + c.saved_at) + "); stored in " +
                  sdk::display_path(store.file().string())};
}

sdk::awaitable<sdk::Result<void>> GphotosAuthenticator::logout() {
    TokenStore store(settings_.credentials_file());
    auto stored = co_await sdk::run_blocking(context_.blocking, [&] { return store.load(); });
    if (!stored) {
        co_return std::unexpected(std::move(stored.error()));
    }
    if (!*stored) {
        co_return sdk::Result<void>{};  // nothing to revoke or delete
    }
    auto client =
        co_await sdk::run_blocking(context_.blocking, [&] { return load_oauth_client(settings_); });
    if (!client) {
        co_return std::unexpected(std::move(client.error()));
    }
    // Revoked first: deleting a grant that still works would leave no way to revoke it.
    std::string token = (*stored)->refresh_token;
    auto revoked = co_await revoke_grant(*http_, *client, std::move(token));
    if (!revoked) {
        auto e = std::move(revoked.error());
        e.message = "could not revoke the Google Photos sign-in (" + e.message +
                    "); it is still stored: try again, or remove photosync's access at "
                    "https://myaccount.google.com/permissions";
        co_return std::unexpected(std::move(e));
    }
    auto removed = co_await sdk::run_blocking(context_.blocking, [&] { return store.remove(); });
    co_return removed;
}

}  // namespace photosync::gphotos
