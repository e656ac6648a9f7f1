// Randomness for the OAuth login: the PKCE code verifier and its S256
// challenge (RFC 7636), and the `state` that ties the redirect to this login.
#pragma once

#include <string>

namespace photosync::gphotos {

// `length` characters of [A-Za-z0-9-._~] from the OS's CSPRNG (43..128 for PKCE).
[[nodiscard]] std::string random_token(std::size_t length);

// base64url(SHA-256(verifier)) without padding.
[[nodiscard]] std::string pkce_challenge(const std::string& verifier);

}  // namespace photosync::gphotos
