// Registers the `local` source with photosync.
#include "local_source.hpp"

namespace {

constexpr photosync::sdk::OptionSpec kOptions[] = {
    {"include_hidden", "also offer files and folders whose names start with '.'", "false", false},
    {"follow_symlinks", "follow symbolic links to files and folders (loops are detected)", "true",
     false},
    {"max_depth", "how many folder levels below the root to enter (-1: all, 0: the root only)",
     "-1", false},
    {"settle_ms",
     "leave out files modified less than this many milliseconds ago (still being written; "
     "photosync watch sets it)",
     "0", false},
};

const photosync::sdk::PluginInfo kInfo{
    .name = "local",
    .kind = photosync::sdk::PluginKind::source,
    .version = "1.0.0",
    .description = "photos and videos in a folder tree on this machine",
    .options = kOptions,
    .option_count = std::size(kOptions),
    .make_source = &photosync::local::LocalSource::create,
};

}  // namespace

PHOTOSYNC_PLUGIN(kInfo)
