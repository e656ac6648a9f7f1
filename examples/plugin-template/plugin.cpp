// The plugin's entry points: what photosync sees before it touches any of
// the plugin's C++ types (ABI version, build key, then this PluginInfo).
#include "manifest_destination.hpp"

namespace {

const photosync::sdk::PluginInfo kInfo{
    .name = "manifest",
    .kind = photosync::sdk::PluginKind::destination,
    .version = "1.0.0",
    .description = "content-addressed objects plus one manifest file per album (manifest:/path)",
    .make_destination = &manifest::ManifestDestination::create,
};

}  // namespace

PHOTOSYNC_PLUGIN(kInfo)
