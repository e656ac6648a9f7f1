// Registers the `gphotos` destination (Google Photos) with photosync.
#include "gphotos_authenticator.hpp"
#include "gphotos_destination.hpp"

namespace {

constexpr photosync::sdk::OptionSpec kOptions[] = {
    {"client_secret",
     "your OAuth client file as Google Cloud console downloads it (Desktop app or web)",
     "<state dir>/plugins/gphotos/client_secret.json", false},
    {"api_url", "Photos Library API base URL", "https://photoslibrary.googleapis.com", false},
    {"upload_url", "where bytes are uploaded", "API_URL/v1/uploads", false},
    {"auth_url", "OAuth authorization endpoint (default: from client_secret.json, else Google's)",
     nullptr, false},
    {"token_url", "OAuth token endpoint (default: from client_secret.json, else Google's)", nullptr,
     false},
    {"revoke_url", "OAuth revocation endpoint", "https://oauth2.googleapis.com/revoke", false},
    {"ca_file", "an extra trusted CA certificate (PEM) besides the system's", nullptr, false},
    {"resumable_threshold", "files of at least this many bytes use resumable uploads", "20971520",
     false},
    {"connections", "HTTPS connections kept open per server (1-64)", "8", false},
    {"timeout", "seconds any single network operation may take (1-3600)", "60", false},
    {"max_requests_per_day",
     "API requests this machine may send per day (midnight Pacific to midnight; 0: no limit); "
     "lower it when several machines share one OAuth client (Google allows 10,000 a day)",
     "10000", false},
    {"test_clock_offset",
     "for tests only: seconds added to the clock that decides the request budget's day", "0",
     false},
};

const photosync::sdk::PluginInfo kInfo{
    .name = "gphotos",
    .kind = photosync::sdk::PluginKind::destination,
    .version = "1.0.0",
    .description = "Google Photos albums (Photos Library API); sign in with `photosync auth login`",
    .options = kOptions,
    .option_count = std::size(kOptions),
    .make_destination = &photosync::gphotos::GphotosDestination::create,
    .make_authenticator = &photosync::gphotos::GphotosAuthenticator::create,
};

}  // namespace

PHOTOSYNC_PLUGIN(kInfo)
