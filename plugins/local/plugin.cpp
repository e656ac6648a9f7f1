// Registers the `local` source with photosync.
#include "local_source.hpp"

namespace {

constexpr photosync::sdk::OptionSpec kOptions[] = {
    {"include_hidden", "also offer files and folders whose names start with '.'", "false", false},
    {"follow_symlinks", "follow symbolic links to files and folders (loops are detected)", "true",
     false},
};

const photosync::sdk::PluginInfo kInfo{
    "local",
    photosync::sdk::PluginKind::source,
    "1.0.0",
    "photos and videos in a folder tree on this machine",
    kOptions,
    std::size(kOptions),
    &photosync::local::LocalSource::create,
    nullptr,
};

}  // namespace

PHOTOSYNC_PLUGIN(kInfo)
