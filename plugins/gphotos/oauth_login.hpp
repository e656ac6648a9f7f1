// The installed-app ("Desktop app") OAuth flow of `photosync auth login`:
// a listener on 127.0.0.1 (ephemeral port) catches the browser's redirect,
// PKCE (S256) binds the code to this process, a random `state` binds the
// redirect to this login, and the refresh token is stored 0600.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <string>

#include "http_client.hpp"
#include "photosync/sdk/authenticator.hpp"
#include "settings.hpp"

namespace photosync::gphotos {

inline constexpr std::chrono::minutes kLoginTimeout{5};

// Returns one line describing the result. Errors: auth (no client file,
// denied, state mismatch, timed out, refused code), transient, cancelled.
sdk::awaitable<sdk::Result<std::string>> run_login(const Settings& settings, HttpClient& http,
                                                   boost::asio::any_io_executor blocking,
                                                   sdk::LogSink& log, sdk::LoginPrompt prompt);

// Scope URLs shortened for people: ".../photoslibrary.appendonly" -> "appendonly".
[[nodiscard]] std::string short_scopes(const std::string& scopes);

}  // namespace photosync::gphotos
