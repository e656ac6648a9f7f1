#include "access_tokens.hpp"

#include "photosync/sdk/blocking.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;
using Clock = std::chrono::steady_clock;

Clock::time_point renew_at(Clock::time_point now, std::chrono::seconds expires_in) {
    auto lifetime = std::max(expires_in, std::chrono::seconds(1));
    auto margin = std::min<std::chrono::seconds>(std::chrono::minutes(5), lifetime / 2);
    return now + lifetime - margin;
}

AccessTokens::AccessTokens(Settings settings, HttpClient& http,
                           boost::asio::any_io_executor blocking, sdk::LogSink& log)
    : settings_(std::move(settings)),
      http_(http),
      blocking_(std::move(blocking)),
      log_(log),
      store_(settings_.credentials_file()) {}

std::optional<std::string> AccessTokens::cached() const {
    std::lock_guard lock(mutex_);
    if (!token_.empty() && Clock::now() < refresh_after_) {
        return token_;
    }
    return std::nullopt;
}

void AccessTokens::invalidate(const std::string& token) {
    std::lock_guard lock(mutex_);
    if (token_ == token) {
        token_.clear();
    }
}

std::size_t AccessTokens::refreshes() const {
    std::lock_guard lock(mutex_);
    return refreshes_;
}

sdk::awaitable<sdk::Result<std::string>> AccessTokens::get() {
    if (auto token = cached()) {
        co_return *token;
    }
    auto permit = co_await refreshing_.acquire();
    if (auto token = cached()) {  // refreshed while this one waited
        co_return *token;
    }
    if (!client_) {
        auto client =
            co_await sdk::run_blocking(blocking_, [this] { return load_oauth_client(settings_); });
        if (!client) {
            co_return std::unexpected(std::move(client.error()));
        }
        client_ = std::move(*client);
    }
    // Read each time: `photosync auth login` in another process may have replaced it.
    auto stored = co_await sdk::run_blocking(blocking_, [this] { return store_.load(); });
    if (!stored) {
        co_return std::unexpected(std::move(stored.error()));
    }
    if (!*stored) {
        co_return sdk::fail(ErrorKind::auth,
                            "not signed in to Google Photos: run `photosync auth login`");
    }
    std::string refresh_token = (*stored)->refresh_token;
    auto grant = co_await refresh_grant(http_, *client_, std::move(refresh_token));
    if (!grant) {
        co_return std::unexpected(std::move(grant.error()));
    }
    {
        std::lock_guard lock(mutex_);
        token_ = grant->access_token;
        refresh_after_ = renew_at(Clock::now(), grant->expires_in);
        ++refreshes_;
    }
    log_.debug("gphotos: access token renewed (valid for " +
               std::to_string(grant->expires_in.count()) + " s)");
    if (!grant->refresh_token.empty() && grant->refresh_token != (*stored)->refresh_token) {
        // Google rotated the refresh token: keep the new one.
        StoredCredentials updated = **stored;
        updated.refresh_token = grant->refresh_token;
        auto saved = co_await sdk::run_blocking(blocking_, [&] { return store_.save(updated); });
        if (!saved) {
            log_.warn("gphotos: could not store the renewed sign-in: " + saved.error().message);
        }
    }
    co_return grant->access_token;
}

}  // namespace photosync::gphotos
