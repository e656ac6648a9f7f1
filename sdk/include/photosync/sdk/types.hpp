// Value types exchanged between the engine and plugins.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "photosync/sdk/error.hpp"

namespace photosync::sdk {

enum class MediaKind : std::uint8_t { photo, video };

[[nodiscard]] std::string_view to_string(MediaKind kind) noexcept;

using TimePoint = std::chrono::system_clock::time_point;

// One item a source offers.
struct SourceItem {
    // Relative to the source's root, '/'-separated. Raw bytes as the source has
    // them: may be non-UTF-8 (use display_path() for messages).
    std::string path;
    std::uint64_t size = 0;
    TimePoint mtime{};
    MediaKind kind = MediaKind::photo;
    std::string mime_type;  // e.g. "image/jpeg"

    // The last path component (what a destination shows as the file name).
    // A view into `path`: not callable on a temporary, whose path would die first.
    [[nodiscard]] std::string_view file_name() const& noexcept {
        auto slash = path.rfind('/');
        return slash == std::string::npos ? std::string_view(path)
                                          : std::string_view(path).substr(slash + 1);
    }
    std::string_view file_name() const&& = delete;
};

// Where committed items go (a Google Photos album, a folder).
struct Container {
    std::string id;     // stable: the engine remembers it to find the container again
    std::string title;  // as the user named it
    bool writable = true;
    std::optional<std::uint64_t> item_count{};
};

// What the engine asks for: a container by remembered id, else by title.
struct ContainerRequest {
    std::string title;
    std::string known_id;  // empty when none is remembered
    bool create_if_missing = true;
};

// Proof that an item's bytes were staged at the destination (an upload token).
// Opaque to the engine, which only stores it and hands it back to commit().
struct Receipt {
    std::string token;
    TimePoint staged_at{};
};

struct StagedItem {
    SourceItem item;
    Receipt receipt;
};

// The destination's name for a committed item.
struct CommittedItem {
    std::string remote_id;
};

// Per-item result of a commit: a batch can half-succeed.
using CommitOutcome = Result<CommittedItem>;

// An item as a destination lists it.
struct RemoteItem {
    std::string id;
    std::string name;
    std::optional<std::uint64_t> size{};  // unknown for destinations that do not report it
};

// What a destination can take; the engine plans batches and concurrency by it.
struct DestinationLimits {
    std::size_t max_batch = 50;  // items per commit() call
    bool serial_commits = true;  // at most one commit() in flight per destination
    std::uint64_t max_item_size = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t max_container_items = std::numeric_limits<std::uint64_t>::max();
    std::chrono::seconds receipt_lifetime{std::chrono::hours(24)};  // stale receipts are re-staged
};

// Escapes bytes that are not valid UTF-8 (and control characters) as \xNN so a
// path can be shown in a terminal, a log line or JSON.
[[nodiscard]] std::string display_path(std::string_view raw);

}  // namespace photosync::sdk
