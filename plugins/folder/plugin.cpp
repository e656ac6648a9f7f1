// Registers the `folder` destination with photosync.
#include "folder_destination.hpp"

namespace {

const photosync::sdk::PluginInfo kInfo{
    .name = "folder",
    .kind = photosync::sdk::PluginKind::destination,
    .version = "1.0.0",
    .description = "albums as subfolders of a directory (folder:/path); written atomically",
    .make_destination = &photosync::folder::FolderDestination::create,
};

}  // namespace

PHOTOSYNC_PLUGIN(kInfo)
