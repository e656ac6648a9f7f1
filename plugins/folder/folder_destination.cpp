#include "folder_destination.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <boost/asio/this_coro.hpp>
#include <random>

#include "photosync/sdk/blocking.hpp"
#include "photosync/sdk/posix_error.hpp"

namespace photosync::folder {

namespace fs = std::filesystem;
using sdk::ErrorKind;

namespace {

constexpr std::size_t kChunk = 256 * 1024;
constexpr const char* kStagingDir = ".photosync-staging";

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

std::string random_name() {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::string s;
    for (int i = 0; i < 24; ++i) {
        s += alphabet[rd() % (sizeof(alphabet) - 1)];
    }
    return s + ".part";
}

sdk::Result<void> write_all(int fd, std::span<const std::byte> data, const std::string& what) {
    while (!data.empty()) {
        auto n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return std::unexpected(sdk::errno_error("write " + what, errno));
        }
        data = data.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

// Moves `from` to `dir/name` without replacing anything; tries "name (2).ext"...
sdk::Result<std::string> move_without_replacing(const fs::path& from, const fs::path& dir,
                                                std::string_view name) {
    auto dot = name.rfind('.');
    std::string stem(name.substr(0, dot == std::string_view::npos || dot == 0 ? name.size() : dot));
    std::string ext(dot == std::string_view::npos || dot == 0 ? std::string_view{}
                                                              : name.substr(dot));
    for (int n = 1; n < 10000; ++n) {
        std::string candidate =
            n == 1 ? std::string(name) : stem + " (" + std::to_string(n) + ")" + ext;
        auto target = dir / candidate;
        if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
            return candidate;
        }
        if (errno != EEXIST) {
            return std::unexpected(
                sdk::errno_error("move into " + sdk::display_path(dir.string()), errno));
        }
    }
    return sdk::fail(ErrorKind::io, "too many files named " + sdk::display_path(name));
}

void fsync_dir(const fs::path& dir) {
    Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd >= 0) {
        ::fsync(d.fd);
    }
}

}  // namespace

std::string folder_name_for(std::string_view title) {
    std::string out;
    for (char c : title) {
        out += (c == '/' || c == '\0') ? '_' : c;
    }
    while (!out.empty() && out.front() == '.') {
        out.front() = '_';
    }
    return out.empty() ? std::string("_") : out;
}

FolderDestination::FolderDestination(sdk::PluginContext context, fs::path root)
    : context_(std::move(context)), root_(std::move(root)), staging_(root_ / kStagingDir) {}

sdk::Result<std::unique_ptr<sdk::Destination>> FolderDestination::create(
    const sdk::PluginContext& context, const sdk::PluginConfig& config) {
    if (config.location.empty()) {
        return sdk::fail(ErrorKind::invalid_input,
                         "the folder destination needs a directory, e.g. folder:/srv/photos");
    }
    fs::path root = fs::absolute(config.location);
    std::error_code ec;
    fs::create_directories(root / kStagingDir, ec);
    if (ec) {
        return sdk::fail(ErrorKind::permission,
                         "cannot create " + sdk::display_path(root.string()) + ": " + ec.message());
    }
    return std::unique_ptr<sdk::Destination>(new FolderDestination(context, std::move(root)));
}

std::string FolderDestination::describe() const {
    return "folder:" + sdk::display_path(root_.string());
}

sdk::DestinationLimits FolderDestination::limits() const {
    sdk::DestinationLimits l;
    l.max_batch = 50;
    l.serial_commits = true;
    return l;
}

sdk::awaitable<sdk::Result<sdk::Container>> FolderDestination::resolve_container(
    const sdk::ContainerRequest& request) {
    co_return co_await sdk::run_blocking(context_.blocking, [&]() -> sdk::Result<sdk::Container> {
        std::string id =
            request.known_id.empty() ? folder_name_for(request.title) : request.known_id;
        auto dir = root_ / id;
        std::error_code ec;
        bool exists = fs::is_directory(dir, ec);
        if (!exists && !request.create_if_missing) {
            return sdk::fail(ErrorKind::not_found,
                             "no album folder " + sdk::display_path(dir.string()));
        }
        if (!exists && !fs::create_directory(dir, ec) && ec) {
            return std::unexpected(sdk::errno_error(
                "create album folder " + sdk::display_path(dir.string()), ec.value()));
        }
        bool writable = ::access(dir.c_str(), W_OK) == 0;
        return sdk::Container{id, request.title, writable, std::nullopt};
    });
}

sdk::awaitable<sdk::Result<sdk::Receipt>> FolderDestination::stage(const sdk::SourceItem& item,
                                                                   sdk::ByteStream& content) {
    auto name = random_name();
    auto path = (staging_ / name).string();
    auto fd = std::make_shared<Fd>();
    auto opened = co_await sdk::run_blocking(context_.blocking, [&]() -> sdk::Result<int> {
        int f = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (f < 0) {
            return std::unexpected(sdk::errno_error("create " + sdk::display_path(path), errno));
        }
        return f;
    });
    if (!opened) {
        co_return std::unexpected(std::move(opened.error()));
    }
    fd->fd = *opened;
    auto discard = [&] {
        return sdk::run_blocking(context_.blocking, [&] { return ::unlink(path.c_str()); });
    };
    std::vector<std::byte> buffer(kChunk);
    std::uint64_t written = 0;
    auto cancellation = co_await boost::asio::this_coro::cancellation_state;
    for (;;) {
        // Reads and writes run on the blocking pool and cannot be interrupted:
        // check between chunks so a cancel stops a large copy promptly.
        if (cancellation.cancelled() != boost::asio::cancellation_type::none) {
            (void)co_await discard();
            co_return sdk::fail(ErrorKind::cancelled, "cancelled");
        }
        auto n = co_await content.read(buffer);
        if (!n) {
            (void)co_await discard();
            co_return std::unexpected(std::move(n.error()));
        }
        if (*n == 0) {
            break;
        }
        auto w = co_await sdk::run_blocking(context_.blocking, [&] {
            return write_all(fd->fd, std::span(buffer.data(), *n), sdk::display_path(path));
        });
        if (!w) {
            (void)co_await discard();
            co_return std::unexpected(std::move(w.error()));
        }
        written += *n;
    }
    if (written != item.size) {
        (void)co_await discard();
        co_return sdk::fail(ErrorKind::io, sdk::display_path(item.path) + " gave " +
                                               std::to_string(written) + " bytes, expected " +
                                               std::to_string(item.size));
    }
    // Durable before it is acknowledged: a receipt must survive a crash.
    auto synced = co_await sdk::run_blocking(context_.blocking, [&]() -> sdk::Result<void> {
        if (::fsync(fd->fd) != 0) {
            return std::unexpected(sdk::errno_error("write " + sdk::display_path(path), errno));
        }
        return {};
    });
    if (!synced) {
        (void)co_await discard();
        co_return std::unexpected(std::move(synced.error()));
    }
    co_return sdk::Receipt{name, std::chrono::system_clock::now()};
}

sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> FolderDestination::commit(
    const sdk::Container& container, std::span<const sdk::StagedItem> items) {
    co_return co_await sdk::run_blocking(context_.blocking, [&] {
        auto dir = root_ / container.id;
        std::vector<sdk::CommitOutcome> outcomes;
        outcomes.reserve(items.size());
        for (const auto& staged : items) {
            const auto& token = staged.receipt.token;
            if (token.empty() || token.find('/') != std::string::npos ||
                !token.ends_with(".part")) {
                outcomes.emplace_back(sdk::fail(ErrorKind::invalid_input, "invalid receipt"));
                continue;
            }
            auto moved = move_without_replacing(staging_ / token, dir, staged.item.file_name());
            if (!moved) {
                if (moved.error().kind == ErrorKind::not_found) {
                    moved.error().message = "its staged copy is gone (receipt expired?)";
                }
                outcomes.emplace_back(std::unexpected(moved.error()));
                continue;
            }
            outcomes.emplace_back(sdk::CommittedItem{*moved});
        }
        fsync_dir(dir);
        return sdk::Result<std::vector<sdk::CommitOutcome>>(std::move(outcomes));
    });
}

sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> FolderDestination::list_container(
    const sdk::Container& container) {
    co_return co_await sdk::run_blocking(
        context_.blocking, [&]() -> sdk::Result<std::vector<sdk::RemoteItem>> {
            std::vector<sdk::RemoteItem> out;
            std::error_code ec;
            auto dir = root_ / container.id;
            for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
                auto name = it->path().filename().string();
                if (name.starts_with('.') || !it->is_regular_file(ec)) {
                    continue;
                }
                out.push_back(sdk::RemoteItem{name, name, it->file_size(ec)});
            }
            if (ec) {
                return std::unexpected(
                    sdk::errno_error("list " + sdk::display_path(dir.string()), ec.value()));
            }
            return out;
        });
}

}  // namespace photosync::folder
