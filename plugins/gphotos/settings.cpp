#include "settings.hpp"

#include <charconv>

#include "url.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;

namespace {

std::string option(const sdk::PluginConfig& config, std::string_view key,
                   std::string fallback = {}) {
    auto it = config.options.find(key);
    return it == config.options.end() || it->second.empty() ? std::move(fallback) : it->second;
}

sdk::Result<std::uint64_t> number(const sdk::PluginConfig& config, std::string_view key,
                                  std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
    auto text = option(config, key);
    if (text.empty()) {
        return fallback;
    }
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
        return sdk::fail(ErrorKind::invalid_input, "gphotos option " + std::string(key) + "='" +
                                                       text + "' must be a whole number from " +
                                                       std::to_string(min) + " to " +
                                                       std::to_string(max));
    }
    return value;
}

sdk::Result<std::string> url_option(const sdk::PluginConfig& config, std::string_view key,
                                    std::string fallback) {
    auto text = option(config, key, std::move(fallback));
    if (text.empty()) {
        return text;
    }
    if (auto parsed = parse_url(text); !parsed) {
        return sdk::fail(ErrorKind::invalid_input,
                         "gphotos option " + std::string(key) + ": " + parsed.error().message);
    }
    while (text.ends_with('/')) {
        text.pop_back();
    }
    return text;
}

}  // namespace

sdk::Result<Settings> parse_settings(const sdk::PluginContext& context,
                                     const sdk::PluginConfig& config) {
    if (!config.location.empty()) {
        return sdk::fail(ErrorKind::invalid_input,
                         "the gphotos destination takes no location ('gphotos:" +
                             sdk::display_path(config.location) +
                             "'); use -o KEY=VALUE options instead");
    }
    Settings s;
    s.state_dir = context.state_dir;
    auto secret = option(config, "client_secret");
    s.client_secret =
        secret.empty() ? s.state_dir / "client_secret.json" : std::filesystem::absolute(secret);
    auto api = url_option(config, "api_url", kGoogleApiUrl);
    if (!api) {
        return std::unexpected(api.error());
    }
    s.api_url = *api;
    auto upload = url_option(config, "upload_url", join_url(s.api_url, "/v1/uploads"));
    if (!upload) {
        return std::unexpected(upload.error());
    }
    s.upload_url = *upload;
    for (auto [key, field] : {std::pair{"auth_url", &s.auth_url}, {"token_url", &s.token_url}}) {
        auto u = url_option(config, key, {});
        if (!u) {
            return std::unexpected(u.error());
        }
        *field = *u;
    }
    auto revoke = url_option(config, "revoke_url", kGoogleRevokeUrl);
    if (!revoke) {
        return std::unexpected(revoke.error());
    }
    s.revoke_url = *revoke;
    if (auto ca = option(config, "ca_file"); !ca.empty()) {
        s.ca_file = std::filesystem::absolute(ca);
    }
    auto threshold = number(config, "resumable_threshold", kDefaultResumableThreshold, 1,
                            20ULL * 1024 * 1024 * 1024);
    if (!threshold) {
        return std::unexpected(threshold.error());
    }
    s.resumable_threshold = *threshold;
    auto connections = number(config, "connections", kDefaultConnections, 1, 64);
    if (!connections) {
        return std::unexpected(connections.error());
    }
    s.connections = static_cast<std::size_t>(*connections);
    auto timeout = number(config, "timeout", kDefaultTimeout.count(), 1, 3600);
    if (!timeout) {
        return std::unexpected(timeout.error());
    }
    s.timeout = std::chrono::seconds(*timeout);
    auto per_day =
        number(config, "max_requests_per_day", kDefaultMaxRequestsPerDay, 0, 1'000'000'000);
    if (!per_day) {
        return std::unexpected(per_day.error());
    }
    s.max_requests_per_day = *per_day;
    auto offset = number(config, "test_clock_offset", 0, 0, 10ULL * 366 * 24 * 3600);
    if (!offset) {
        return std::unexpected(offset.error());
    }
    s.clock_offset = std::chrono::seconds(*offset);
    return s;
}

}  // namespace photosync::gphotos
