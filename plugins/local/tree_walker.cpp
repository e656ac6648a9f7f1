#include "tree_walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "media_types.hpp"
#include "photosync/sdk/posix_error.hpp"

namespace photosync::local {

namespace {

struct DirCloser {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};

std::string join(const std::string& dir, const std::string& name) {
    return dir.empty() ? name : dir + "/" + name;
}

sdk::TimePoint mtime_of(const struct stat& st) {
    using namespace std::chrono;
    return sdk::TimePoint(duration_cast<sdk::TimePoint::duration>(seconds(st.st_mtim.tv_sec) +
                                                                  nanoseconds(st.st_mtim.tv_nsec)));
}

}  // namespace

TreeWalker::TreeWalker(std::filesystem::path root, WalkOptions options)
    : root_(std::move(root)), options_(options) {}

std::string TreeWalker::full_path(const std::string& rel) const {
    return rel.empty() ? root_.string() : (root_ / rel).string();
}

bool TreeWalker::enter(const std::string& rel, int depth, std::vector<sdk::ScanEntry>& out,
                       bool is_root, sdk::Error* root_error) {
    auto path = full_path(rel);
    std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
    if (!dir) {
        auto err = sdk::errno_error("read folder " + sdk::display_path(path), errno);
        if (is_root) {
            *root_error = err;
        } else {
            out.emplace_back(sdk::ScanProblem{rel, err});
        }
        return false;
    }
    int fd = ::dirfd(dir.get());
    struct stat self {};
    if (::fstat(fd, &self) == 0 && !visited_.emplace(self.st_dev, self.st_ino).second) {
        return false;  // reached again through a symlink: a loop or a duplicate, walk it once
    }
    Folder folder{rel, depth, {}, 0};
    for (;;) {
        errno = 0;  // readdir reports errors only through errno
        auto* ent = ::readdir(dir.get());
        if (ent == nullptr) {
            break;
        }
        std::string name = ent->d_name;
        if (name == "." || name == "..") {
            continue;
        }
        if (name.front() == '.' && !options_.include_hidden) {
            continue;
        }
        if (ent->d_type == DT_LNK && !options_.follow_symlinks) {
            continue;
        }
        bool is_dir = ent->d_type == DT_DIR;
        if (ent->d_type == DT_LNK || ent->d_type == DT_UNKNOWN) {
            struct stat st {};
            if (::fstatat(fd, name.c_str(), &st, 0) != 0) {
                continue;  // dangling symlink: nothing to sync
            }
            is_dir = S_ISDIR(st.st_mode);
        }
        if (!is_dir && (is_sidecar_or_metadata(name) || !media_type_for(name))) {
            continue;  // not a photo or video: never offered
        }
        folder.children.push_back(Child{std::move(name), is_dir});
    }
    if (int err = errno; err != 0) {
        out.emplace_back(
            sdk::ScanProblem{rel, sdk::errno_error("read folder " + sdk::display_path(path), err)});
    }
    std::ranges::sort(folder.children, {}, &Child::name);
    stack_.push_back(std::move(folder));
    return true;
}

void TreeWalker::visit_file(const std::string& rel, const struct stat& st,
                            std::vector<sdk::ScanEntry>& out) {
    auto type = media_type_for(rel);
    if (!S_ISREG(st.st_mode) || !type) {
        return;  // FIFOs, sockets, devices named like photos
    }
    if (options_.settle.count() > 0) {
        // Written to within the settle time: not offered yet (maybe half-written).
        // A clock far ahead (a camera's mtime in the future) does not hold it back.
        auto age = std::chrono::system_clock::now() - mtime_of(st);
        if (age < options_.settle && age > -options_.settle) {
            return;
        }
    }
    if (st.st_size == 0) {
        out.emplace_back(sdk::ScanProblem{
            rel, sdk::Error{sdk::ErrorKind::invalid_input,
                            "empty file (0 bytes): not a photo or video", std::nullopt}});
        return;
    }
    out.emplace_back(sdk::SourceItem{rel, static_cast<std::uint64_t>(st.st_size), mtime_of(st),
                                     type->kind, std::string(type->mime_type)});
}

sdk::Result<bool> TreeWalker::next(std::vector<sdk::ScanEntry>& out, std::size_t max) {
    if (!started_) {
        started_ = true;
        sdk::Error root_error;
        if (!enter("", 0, out, true, &root_error)) {
            return std::unexpected(root_error);
        }
    }
    while (!stack_.empty() && out.size() < max) {
        auto& top = stack_.back();
        if (top.next == top.children.size()) {
            stack_.pop_back();
            continue;
        }
        Child child = top.children[top.next++];
        auto rel = join(top.rel, child.name);
        if (child.is_dir) {
            int depth = top.depth + 1;
            if (options_.max_depth < 0 || depth <= options_.max_depth) {
                enter(rel, depth, out, false, nullptr);  // may invalidate `top`
            }
            continue;
        }
        struct stat st {};
        if (::stat(full_path(rel).c_str(), &st) != 0) {
            if (errno != ENOENT) {  // vanished since listed: nothing to sync
                out.emplace_back(sdk::ScanProblem{
                    rel, sdk::errno_error("read " + sdk::display_path(full_path(rel)), errno)});
            }
            continue;
        }
        visit_file(rel, st, out);
    }
    return !stack_.empty();
}

}  // namespace photosync::local
