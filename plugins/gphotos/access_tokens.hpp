// Access tokens for API calls: refreshed from the stored refresh token before
// they expire (one refresh at a time however many requests wait for it), and
// dropped when the service rejects one (the caller refreshes once on a 401).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "async_semaphore.hpp"
#include "http_client.hpp"
#include "oauth_endpoints.hpp"
#include "settings.hpp"
#include "token_store.hpp"

namespace photosync::gphotos {

// When a token granted at `now` for `expires_in` is renewed: ahead of its
// end (5 minutes, or half its lifetime if shorter) so it never expires in
// the middle of a request.
[[nodiscard]] std::chrono::steady_clock::time_point renew_at(
    std::chrono::steady_clock::time_point now, std::chrono::seconds expires_in);

class AccessTokens {
  public:
    AccessTokens(Settings settings, HttpClient& http, boost::asio::any_io_executor blocking,
                 sdk::LogSink& log);

    // A valid access token. Errors: auth (not signed in, sign-in revoked,
    // bad client file), transient, rate_limited, cancelled.
    sdk::awaitable<sdk::Result<std::string>> get();

    // The service rejected `token`: the next get() refreshes.
    void invalidate(const std::string& token);

    // How many refreshes were made (for tests and debug logs).
    [[nodiscard]] std::size_t refreshes() const;

  private:
    [[nodiscard]] std::optional<std::string> cached() const;

    const Settings settings_;
    HttpClient& http_;
    boost::asio::any_io_executor blocking_;
    sdk::LogSink& log_;
    TokenStore store_;
    AsyncSemaphore refreshing_{1};
    std::optional<OAuthClient> client_;  // loaded once; used under refreshing_

    mutable std::mutex mutex_;
    std::string token_;
    std::chrono::steady_clock::time_point refresh_after_{};
    std::size_t refreshes_ = 0;
};

}  // namespace photosync::gphotos
