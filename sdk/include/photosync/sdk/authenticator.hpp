// An optional capability of a plugin: signing the user in to the service it
// talks to (OAuth and the like). Front ends expose it as `photosync auth ...`.
//
// Threading, lifetimes and cancellation: as for Source (source.hpp).
#pragma once

#include <functional>
#include <string>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::sdk {

struct AuthStatus {
    bool signed_in = false;
    std::string summary;  // one line for a person, e.g. "signed in; scopes: ...". No secrets.
};

// How a sign-in reaches the user: the front end shows the URL and may open a
// browser on it. Called once per login, on the plugin's executor.
struct LoginPrompt {
    std::function<void(const std::string& url)> open_url;
};

class Authenticator {
  public:
    virtual ~Authenticator() = default;

    // Runs the interactive sign-in and stores the credentials in the plugin's
    // state dir (mode 0600). Returns one line describing the result. Errors:
    // auth (denied, bad client config), transient, cancelled.
    virtual awaitable<Result<std::string>> login(LoginPrompt prompt) = 0;

    // What is stored, without contacting the service when possible.
    virtual awaitable<Result<AuthStatus>> status() = 0;

    // Revokes the stored credentials at the service and deletes them.
    virtual awaitable<Result<void>> logout() = 0;
};

}  // namespace photosync::sdk
