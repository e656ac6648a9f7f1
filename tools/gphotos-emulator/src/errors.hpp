#pragma once
// Google's error bodies: {"error":{"code","message","errors":[..],"status"}}
// for the API, {"error","error_description"} for the OAuth endpoints.

#include <string>
#include <string_view>

#include "http_types.hpp"

namespace gpe {

// The canonical status string for an HTTP code (400 → INVALID_ARGUMENT ...).
std::string_view status_for_http(int http_code);

Response google_error(int http_code, std::string_view message, std::string_view status = {},
                      std::string_view reason = {});
Response invalid_argument(std::string_view message);
Response not_found(std::string_view message = "Requested entity was not found.");
Response permission_denied(std::string_view message);
Response unauthenticated(std::string_view message);
Response insufficient_scopes();
Response internal_error();
Response unavailable();
Response oauth_error(int http_code, std::string_view error, std::string_view description);

// Messages quoted by the reference (kept in one place so tests can match them).
namespace msg {
inline constexpr std::string_view too_many_items = "Request must have less than 50 items.";
inline constexpr std::string_view invalid_upload_token =
    "Request must contain a valid upload token.";
inline constexpr std::string_view invalid_media_item_id =
    "Request contains an invalid media item id.";
inline constexpr std::string_view no_album_permission =
    "No permission to add media items to this album.";
inline constexpr std::string_view insufficient_scopes =
    "Request had insufficient authentication scopes.";
inline constexpr std::string_view missing_credentials =
    "Request is missing required authentication credential. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project.";
inline constexpr std::string_view invalid_credentials =
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project.";
inline constexpr std::string_view internal = "Internal error encountered.";
inline constexpr std::string_view unavailable = "The service is currently unavailable.";
inline constexpr std::string_view bad_image =
    "BAD_IMAGE: There was an error while trying to create this media item.";
inline constexpr std::string_view token_expired_or_revoked = "Token has been expired or revoked.";
}  // namespace msg

}  // namespace gpe
