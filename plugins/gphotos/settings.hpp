// The plugin's options (declared in plugin.cpp as OptionSpec data) turned
// into checked settings with their defaults applied.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "photosync/sdk/plugin.hpp"

namespace photosync::gphotos {

inline constexpr const char* kGoogleApiUrl = "https://photoslibrary.googleapis.com";
inline constexpr const char* kGoogleAuthUrl = "https://accounts.google.com/o/oauth2/v2/auth";
inline constexpr const char* kGoogleTokenUrl = "https://oauth2.googleapis.com/token";
inline constexpr const char* kGoogleRevokeUrl = "https://oauth2.googleapis.com/revoke";
inline constexpr std::uint64_t kDefaultResumableThreshold = 20ULL * 1024 * 1024;
inline constexpr std::size_t kDefaultConnections = 8;
inline constexpr std::chrono::seconds kDefaultTimeout{60};
inline constexpr std::uint64_t kDefaultMaxRequestsPerDay = 10000;

struct Settings {
    std::filesystem::path state_dir;      // the plugin's private dir (credentials)
    std::filesystem::path client_secret;  // Google's client_secret.json
    std::string api_url;                  // no trailing '/'
    std::string upload_url;
    std::string auth_url;   // empty: from client_secret.json, else Google's
    std::string token_url;  // empty: from client_secret.json, else Google's
    std::string revoke_url;
    std::filesystem::path ca_file;  // extra trusted CA (PEM); empty: system CAs only
    std::uint64_t resumable_threshold = kDefaultResumableThreshold;
    std::size_t connections = kDefaultConnections;
    std::chrono::seconds timeout = kDefaultTimeout;  // per network operation
    // API requests this machine may send per Pacific day (0: no budget).
    std::uint64_t max_requests_per_day = kDefaultMaxRequestsPerDay;
    // Added to the clock that decides the budget's day. Tests only (option
    // test_clock_offset, not listed): the emulator's clock is moved forward
    // past midnight and the budget must see the same day. Taking the day from
    // the server's Date header instead was rejected: the budget is checked
    // before a request is sent, so learning the day would itself cost a
    // request, and a run refused for today's budget must send nothing.
    std::chrono::seconds clock_offset{0};

    // Where the refresh token is kept (mode 0600).
    [[nodiscard]] std::filesystem::path credentials_file() const {
        return state_dir / "credentials.json";
    }
    // Today's request count, shared by every process of this machine.
    [[nodiscard]] std::filesystem::path request_count_file() const {
        return state_dir / "requests-today.json";
    }
};

// Errors: invalid_input naming the option and what is wrong with it.
[[nodiscard]] sdk::Result<Settings> parse_settings(const sdk::PluginContext& context,
                                                   const sdk::PluginConfig& config);

}  // namespace photosync::gphotos
