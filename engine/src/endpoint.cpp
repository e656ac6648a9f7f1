#include "photosync/engine/endpoint.hpp"

#include <algorithm>

namespace photosync::engine {

namespace {
bool valid_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
}  // namespace

sdk::Result<Endpoint> Endpoint::parse(std::string_view spec) {
    auto colon = spec.find(':');
    std::string_view name = spec.substr(0, colon);
    if (name.empty() || !std::ranges::all_of(name, valid_name_char)) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "'" + std::string(spec) +
                             "' is not a plugin name: use NAME or NAME:LOCATION, e.g. "
                             "folder:/srv/photos (see 'photosync plugins')");
    }
    Endpoint e;
    e.plugin = std::string(name);
    if (colon != std::string_view::npos) {
        e.config.location = std::string(spec.substr(colon + 1));
    }
    return e;
}

std::string Endpoint::to_string() const {
    return config.location.empty() ? plugin : plugin + ":" + config.location;
}

}  // namespace photosync::engine
