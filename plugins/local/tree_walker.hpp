// Walks a folder tree depth-first in a stable order (names sorted bytewise in
// each folder), yielding media items and per-entry problems a few at a time.
// Blocking: the source runs it on the blocking executor.
//
// Survives: symlink loops (a folder is entered once per device/inode),
// unreadable folders (a ScanProblem, the walk goes on), names that are not
// UTF-8 (kept as raw bytes), dangling symlinks (skipped).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "photosync/sdk/source.hpp"

namespace photosync::local {

struct WalkOptions {
    bool include_hidden = false;  // names starting with '.'
    bool follow_symlinks = true;  // into linked folders and files
    int max_depth = -1;           // folder levels below the root to enter; -1: all, 0: root only
    // Files modified less than this long ago are left out (still being written,
    // e.g. while a watch is running); 0: offer every file.
    std::chrono::milliseconds settle{0};
};

class TreeWalker {
  public:
    TreeWalker(std::filesystem::path root, WalkOptions options);

    // Appends up to `max` entries to `out`. Returns false once the walk is over.
    // An Error means the root itself cannot be read.
    sdk::Result<bool> next(std::vector<sdk::ScanEntry>& out, std::size_t max);

  private:
    struct Pending {
        std::string rel;  // relative path of the folder ("" for the root)
    };
    struct Child {
        std::string name;
        bool is_dir;
    };
    struct Folder {
        std::string rel;
        int depth = 0;
        std::vector<Child> children;
        std::size_t next = 0;
    };

    // Reads and sorts one folder; files become entries right away when they are
    // visited. Returns false (with a ScanProblem in out) if it cannot be read.
    bool enter(const std::string& rel, int depth, std::vector<sdk::ScanEntry>& out, bool is_root,
               sdk::Error* root_error);
    void visit_file(const std::string& rel, const struct stat& st,
                    std::vector<sdk::ScanEntry>& out);
    [[nodiscard]] std::string full_path(const std::string& rel) const;

    std::filesystem::path root_;
    WalkOptions options_;
    std::vector<Folder> stack_;
    std::set<std::pair<dev_t, ino_t>> visited_;
    bool started_ = false;
};

}  // namespace photosync::local
