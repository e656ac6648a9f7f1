// Which items of a run could have the same content, so that identical files
// (copies, renames) go up once. Content is compared by SHA-256, but hashing a
// file before its upload means reading it twice; this index keeps that to the
// items that could really be twins. Sizes first: a size new to the run and the
// ledger has no twin. Within a size, a fingerprint of the first 64 KiB: photos
// of one camera share sizes (RAW) but not their first 64 KiB (EXIF time,
// thumbnail). Only items that agree on both are hashed whole before upload.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "photosync/sdk/types.hpp"

namespace photosync::engine {

// How much of the head is fingerprinted: enough to hold EXIF and a thumbnail.
inline constexpr std::size_t kHeadFingerprintBytes = 64 * 1024;

// The first 64 bits of a hex SHA-256, the key the index keeps.
[[nodiscard]] std::uint64_t head_key(const std::string& head) noexcept;

class TwinIndex {
  public:
    // The items of one size seen in this run.
    struct Group {
        // The item that opened the group: it went up without a fingerprint,
        // which is taken from its file when a second item of the size comes.
        sdk::SourceItem first;
        std::optional<std::string> first_head;
        bool first_uploading = true;
        // The ledger holds a committed item of this size: no fingerprint of
        // it is kept, so every item of the size is hashed whole.
        bool committed_size = false;
        // Heads seen, by their first 64 bits: a clash of two different heads
        // only costs a whole-file hash that was not needed, never a missed
        // twin, and 100,000 files of one size keep 3 MB here, not 20.
        std::unordered_set<std::uint64_t> heads;
        std::unordered_map<std::uint64_t, int> uploading_by_head;  // no zero counts kept

        // True when an item with this head must be hashed whole before upload.
        [[nodiscard]] bool needs_full_hash(const std::string& head) const;
        // True when no upload whose hash could match this head is still running.
        [[nodiscard]] bool settled(const std::string& head) const;
        void add_head(const std::string& head);
        void upload_started(const std::string& head);
        void upload_ended(const std::string& head);
    };

    // The group of this size, or nullptr when the size is new to the run.
    Group* find(std::uint64_t size);
    // Opens the group of a size new to the run; item is its first.
    Group& open(const sdk::SourceItem& item, bool committed_size);

  private:
    std::unordered_map<std::uint64_t, Group> groups_;
};

}  // namespace photosync::engine
