// Registers the `folder` destination with photosync.
#include "folder_destination.hpp"

namespace {

const photosync::sdk::PluginInfo kInfo{
    "folder", photosync::sdk::PluginKind::destination,
    "1.0.0",  "albums as subfolders of a directory (folder:/path); written atomically",
    nullptr,  0,
    nullptr,  &photosync::folder::FolderDestination::create,
};

}  // namespace

PHOTOSYNC_PLUGIN(kInfo)
