// Moving and removing a source file once the engine knows it is safely at the
// destination (--move-to DIR, --delete-after-upload). Blocking: the source
// runs these on the blocking executor.
//
// Nothing is ever lost: a move on one filesystem is one rename that never
// replaces anything; across filesystems the file is copied under a hidden
// temporary name beside its new place, flushed, renamed into place (again
// never replacing anything), and only then removed from the source. A crash
// leaves the file at its old place, or at both (the next move of it finds
// the same content at the new place and only removes the old one).
#pragma once

#include <filesystem>
#include <string>

#include "photosync/sdk/error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::local {

// The folder items go to: absolute, created if missing, not inside `root`.
sdk::Result<std::filesystem::path> prepare_move_target(const std::filesystem::path& root,
                                                       const std::string& to);

// Moves root/item.path to to_root/item.path.
sdk::Result<void> move_file(const std::filesystem::path& root, const sdk::SourceItem& item,
                            const std::filesystem::path& to_root);

// Removes root/item.path.
sdk::Result<void> remove_file(const std::filesystem::path& root, const sdk::SourceItem& item);

}  // namespace photosync::local
