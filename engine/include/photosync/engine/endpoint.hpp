// "folder:/srv/photos" -> which plugin, and where.
#pragma once

#include <string>
#include <string_view>

#include "photosync/sdk/error.hpp"
#include "photosync/sdk/plugin.hpp"

namespace photosync::engine {

struct Endpoint {
    std::string plugin;        // plugin name, e.g. "local", "folder", "gphotos"
    sdk::PluginConfig config;  // config.location is what followed the ':'

    // Parses "NAME" or "NAME:LOCATION". NAME is [a-z0-9_-]+; an empty or
    // malformed name is an invalid_input error naming the spec.
    static sdk::Result<Endpoint> parse(std::string_view spec);

    [[nodiscard]] std::string to_string() const;
};

}  // namespace photosync::engine
