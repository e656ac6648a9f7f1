#include "local_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>

#include "file_stream.hpp"
#include "item_actions.hpp"
#include "photosync/sdk/blocking.hpp"
#include "photosync/sdk/posix_error.hpp"

namespace photosync::local {

namespace fs = std::filesystem;

namespace {

// Entries fetched per trip to the blocking executor: large enough to amortise
// the hop, small enough that the first item is offered at once.
constexpr std::size_t kEntriesPerHop = 256;

class LocalLister final : public sdk::ItemLister {
  public:
    LocalLister(boost::asio::any_io_executor blocking, fs::path root, WalkOptions options)
        : blocking_(std::move(blocking)), walker_(std::move(root), options) {}

    sdk::awaitable<sdk::Result<std::optional<sdk::ScanEntry>>> next() override {
        while (ready_.size() == next_) {
            if (done_) {
                co_return std::optional<sdk::ScanEntry>{};
            }
            ready_.clear();
            next_ = 0;
            auto more = co_await sdk::run_blocking(
                blocking_, [this] { return walker_.next(ready_, kEntriesPerHop); });
            if (!more) {
                co_return std::unexpected(more.error());
            }
            done_ = !*more;
        }
        co_return std::optional<sdk::ScanEntry>(std::move(ready_[next_++]));
    }

  private:
    boost::asio::any_io_executor blocking_;
    TreeWalker walker_;
    std::vector<sdk::ScanEntry> ready_;
    std::size_t next_ = 0;
    bool done_ = false;
};

bool option_true(const sdk::PluginConfig& config, std::string_view key, bool fallback) {
    auto it = config.options.find(key);
    if (it == config.options.end()) {
        return fallback;
    }
    return it->second == "true" || it->second == "1" || it->second == "yes";
}

}  // namespace

LocalSource::LocalSource(sdk::PluginContext context, fs::path root, WalkOptions options)
    : context_(std::move(context)), root_(std::move(root)), options_(options) {}

sdk::Result<std::unique_ptr<sdk::Source>> LocalSource::create(const sdk::PluginContext& context,
                                                              const sdk::PluginConfig& config) {
    if (config.location.empty()) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "the local source needs a folder, e.g. local:/home/ana/Pictures");
    }
    fs::path root = fs::absolute(config.location);
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0) {
        int err = errno;
        if (err == ENOENT || err == ENOTDIR) {
            return sdk::fail(
                sdk::ErrorKind::not_found,
                "folder " + sdk::display_path(root.string()) + " does not exist: check the path");
        }
        return std::unexpected(
            sdk::errno_error("open folder " + sdk::display_path(root.string()), err));
    }
    if (!S_ISDIR(st.st_mode)) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         sdk::display_path(root.string()) +
                             " is a file, not a folder: give the folder that holds the photos");
    }
    WalkOptions options;
    options.include_hidden = option_true(config, "include_hidden", false);
    options.follow_symlinks = option_true(config, "follow_symlinks", true);
    if (auto it = config.options.find("max_depth"); it != config.options.end()) {
        char* end = nullptr;
        long depth = std::strtol(it->second.c_str(), &end, 10);
        if (it->second.empty() || *end != '\0' || depth < -1) {
            return sdk::fail(
                sdk::ErrorKind::invalid_input,
                "local source option max_depth must be -1 (all) or a number >= 0, not '" +
                    it->second + "'");
        }
        options.max_depth = static_cast<int>(depth);
    }
    if (auto it = config.options.find("settle_ms"); it != config.options.end()) {
        char* end = nullptr;
        long long ms = std::strtoll(it->second.c_str(), &end, 10);
        if (it->second.empty() || *end != '\0' || ms < 0) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "local source option settle_ms must be a number of milliseconds >= 0, "
                             "not '" +
                                 it->second + "'");
        }
        options.settle = std::chrono::milliseconds(ms);
    }
    return std::unique_ptr<sdk::Source>(new LocalSource(context, std::move(root), options));
}

std::string LocalSource::describe() const {
    return "local:" + sdk::display_path(root_.string());
}

sdk::awaitable<sdk::Result<std::unique_ptr<sdk::ItemLister>>> LocalSource::list() {
    co_return std::make_unique<LocalLister>(context_.blocking, root_, options_);
}

sdk::awaitable<sdk::Result<std::unique_ptr<sdk::ByteStream>>> LocalSource::open(
    const sdk::SourceItem& item) {
    auto path = (root_ / item.path).string();
    auto stream = co_await sdk::run_blocking(
        context_.blocking, [&] { return FileStream::open(context_.blocking, path, item); });
    if (!stream) {
        co_return std::unexpected(std::move(stream.error()));
    }
    co_return std::unique_ptr<sdk::ByteStream>(std::move(*stream));
}

sdk::Result<void> LocalSource::prepare_move(const std::string& to) {
    auto target = prepare_move_target(root_, to);
    if (!target) {
        return std::unexpected(std::move(target.error()));
    }
    return {};
}

sdk::awaitable<sdk::Result<void>> LocalSource::move_item(const sdk::SourceItem& item,
                                                         const std::string& to) {
    co_return co_await sdk::run_blocking(context_.blocking, [&]() -> sdk::Result<void> {
        auto target = prepare_move_target(root_, to);
        if (!target) {
            return std::unexpected(std::move(target.error()));
        }
        return move_file(root_, item, *target);
    });
}

sdk::awaitable<sdk::Result<void>> LocalSource::remove_item(const sdk::SourceItem& item) {
    co_return co_await sdk::run_blocking(context_.blocking,
                                         [&] { return remove_file(root_, item); });
}

}  // namespace photosync::local
