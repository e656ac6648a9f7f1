#include "item_actions.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include "photosync/sdk/posix_error.hpp"

namespace photosync::local {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::Result;

namespace {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    [[nodiscard]] int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

std::string shown(const fs::path& p) {
    return sdk::display_path(p.string());
}

std::int64_t mtime_ns(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

std::int64_t mtime_ns(sdk::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// The file is still the one that was listed (and uploaded).
Result<struct stat> unchanged(const fs::path& path, const sdk::SourceItem& item) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return std::unexpected(sdk::errno_error("find " + shown(path), errno));
    }
    if (!S_ISREG(st.st_mode)) {
        return sdk::fail(ErrorKind::conflict,
                         shown(path) +
                             (S_ISLNK(st.st_mode) ? " is a symbolic link" : " is not a file") +
                             ": left in place (only files are moved or deleted)");
    }
    if (static_cast<std::uint64_t>(st.st_size) != item.size ||
        mtime_ns(st) != mtime_ns(item.mtime)) {
        return sdk::fail(ErrorKind::conflict,
                         shown(path) +
                             " changed since it was uploaded: left in place (the next run "
                             "uploads the new version)");
    }
    return st;
}

Result<void> sync_dir(const fs::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
        return std::unexpected(sdk::errno_error("flush folder " + shown(dir), errno));
    }
    return {};
}

Result<void> sync_dirs(const fs::path& a, const fs::path& b) {
    if (auto r = sync_dir(a); !r) {
        return r;
    }
    return a == b ? Result<void>{} : sync_dir(b);
}

// Byte for byte.
Result<bool> same_content(const fs::path& a, const fs::path& b) {
    Fd fa(::open(a.c_str(), O_RDONLY | O_CLOEXEC));
    Fd fb(::open(b.c_str(), O_RDONLY | O_CLOEXEC));
    if (fa.get() < 0 || fb.get() < 0) {
        return std::unexpected(
            sdk::errno_error("compare " + shown(a) + " with " + shown(b), errno));
    }
    std::vector<char> ba(1 << 20), bb(1 << 20);
    for (;;) {
        auto na = ::read(fa.get(), ba.data(), ba.size());
        if (na < 0) {
            return std::unexpected(sdk::errno_error("read " + shown(a), errno));
        }
        std::size_t got = 0;
        while (got < static_cast<std::size_t>(na)) {
            auto nb = ::read(fb.get(), bb.data() + got, static_cast<std::size_t>(na) - got);
            if (nb < 0) {
                return std::unexpected(sdk::errno_error("read " + shown(b), errno));
            }
            if (nb == 0) {
                return false;
            }
            got += static_cast<std::size_t>(nb);
        }
        if (std::memcmp(ba.data(), bb.data(), got) != 0) {
            return false;
        }
        if (na == 0) {
            char extra = 0;
            return ::read(fb.get(), &extra, 1) == 0;
        }
    }
}

sdk::Error clash(const fs::path& to, const fs::path& from) {
    return sdk::Error{ErrorKind::conflict,
                      shown(to) + " already exists: " + shown(from) +
                          " left in place (photosync never overwrites)",
                      std::nullopt};
}

// Puts `from` at `to` unless something is there: rename(2) that never
// replaces, else a hard link (filesystems without RENAME_NOREPLACE).
// Returns the errno (0 on success).
int place(const fs::path& from, const fs::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        return errno;
    }
    if (::link(from.c_str(), to.c_str()) != 0) {
        return errno;
    }
    return ::unlink(from.c_str()) == 0 ? 0 : errno;
}

std::string random_suffix() {
    static thread_local std::mt19937_64 rng(std::random_device{}());
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

// Another filesystem: copy beside the new place under a hidden name, flush,
// rename into place. The source is untouched.
Result<void> copy_into_place(const fs::path& from, const struct stat& st, const fs::path& to) {
    const fs::path tmp = to.parent_path() / (".photosync-partial-" + random_suffix());
    Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (in.get() < 0) {
        return std::unexpected(sdk::errno_error("read " + shown(from), errno));
    }
    Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.get() < 0) {
        return std::unexpected(sdk::errno_error("create " + shown(tmp), errno));
    }
    auto failed = [&](const std::string& what, int err) -> Result<void> {
        ::unlink(tmp.c_str());
        return std::unexpected(sdk::errno_error(what, err));
    };
    std::vector<char> buffer(1 << 20);
    std::uint64_t total = 0;
    for (;;) {
        auto n = ::read(in.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return failed("read " + shown(from), errno);
        }
        if (n == 0) {
            break;
        }
        for (std::size_t done = 0; done < static_cast<std::size_t>(n);) {
            auto w = ::write(out.get(), buffer.data() + done, static_cast<std::size_t>(n) - done);
            if (w < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return failed("write " + shown(tmp), errno);
            }
            done += static_cast<std::size_t>(w);
        }
        total += static_cast<std::uint64_t>(n);
    }
    if (total != static_cast<std::uint64_t>(st.st_size)) {
        ::unlink(tmp.c_str());
        return sdk::fail(ErrorKind::conflict,
                         shown(from) + " changed while it was being moved: left in place");
    }
    const struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (::fchmod(out.get(), st.st_mode & 07777) != 0 || ::futimens(out.get(), times) != 0 ||
        ::fsync(out.get()) != 0) {
        return failed("write " + shown(tmp), errno);
    }
    if (::close(out.release()) != 0) {
        return failed("write " + shown(tmp), errno);
    }
    if (int err = place(tmp, to); err != 0) {
        ::unlink(tmp.c_str());
        return err == EEXIST ? std::unexpected(clash(to, from))
                             : std::unexpected(sdk::errno_error("create " + shown(to), err));
    }
    return sync_dir(to.parent_path());
}

bool inside(const fs::path& path, const fs::path& root) {
    auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return r == root.end();
}

}  // namespace

Result<fs::path> prepare_move_target(const fs::path& root, const std::string& to) {
    if (to.empty()) {
        return sdk::fail(ErrorKind::invalid_input, "the folder to move uploaded files to is empty");
    }
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(fs::absolute(to), ec);
    const fs::path source = fs::canonical(root, ec);
    if (ec) {
        return std::unexpected(sdk::errno_error("find " + shown(root), ec.value()));
    }
    if (inside(target, source)) {
        return sdk::fail(ErrorKind::invalid_input,
                         "cannot move uploaded files to " + shown(target) +
                             ": it is inside the folder being synced, " + shown(source) +
                             ", where they would be found again; choose a folder outside it");
    }
    fs::create_directories(target, ec);
    if (ec || !fs::is_directory(target, ec)) {
        return std::unexpected(
            sdk::errno_error("use " + shown(target) + " as the folder to move uploaded files to",
                             ec ? ec.value() : ENOTDIR));
    }
    return target;
}

Result<void> move_file(const fs::path& root, const sdk::SourceItem& item, const fs::path& to_root) {
    const fs::path from = root / item.path;
    const fs::path to = to_root / item.path;
    auto st = unchanged(from, item);
    if (!st) {
        return std::unexpected(std::move(st.error()));
    }
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (ec) {
        return std::unexpected(
            sdk::errno_error("create folder " + shown(to.parent_path()), ec.value()));
    }
    struct stat there {};
    if (::lstat(to.c_str(), &there) == 0) {
        // The same bytes already there: a move that a crash cut short after
        // the copy. Only the removal is left to do.
        if (S_ISREG(there.st_mode) && there.st_size == st->st_size) {
            auto same = same_content(from, to);
            if (!same) {
                return std::unexpected(std::move(same.error()));
            }
            if (*same) {
                if (::unlink(from.c_str()) != 0) {
                    return std::unexpected(sdk::errno_error("remove " + shown(from), errno));
                }
                return sync_dir(from.parent_path());
            }
        }
        return std::unexpected(clash(to, from));
    }
    int err = place(from, to);
    if (err == 0) {
        return sync_dirs(to.parent_path(), from.parent_path());
    }
    if (err == EEXIST) {
        return std::unexpected(clash(to, from));
    }
    if (err != EXDEV) {
        return std::unexpected(sdk::errno_error("move " + shown(from) + " to " + shown(to), err));
    }
    if (auto copied = copy_into_place(from, *st, to); !copied) {
        return copied;
    }
    // Changed while it was copied: the copy may be torn, the source is the truth.
    if (auto again = unchanged(from, item); !again) {
        ::unlink(to.c_str());
        return std::unexpected(std::move(again.error()));
    }
    if (::unlink(from.c_str()) != 0) {
        return std::unexpected(sdk::errno_error("remove " + shown(from), errno));
    }
    return sync_dir(from.parent_path());
}

Result<void> remove_file(const fs::path& root, const sdk::SourceItem& item) {
    const fs::path path = root / item.path;
    if (auto st = unchanged(path, item); !st) {
        return std::unexpected(std::move(st.error()));
    }
    if (::unlink(path.c_str()) != 0) {
        return std::unexpected(sdk::errno_error("delete " + shown(path), errno));
    }
    return sync_dir(path.parent_path());
}

}  // namespace photosync::local
