// The rule for which items are hashed whole before upload (twin_index.hpp).
#include <catch2/catch.hpp>

#include "twin_index.hpp"

using photosync::engine::TwinIndex;
using photosync::sdk::SourceItem;

TEST_CASE("twin index: a size new to the run has no group, and the first item opens it") {
    TwinIndex index;
    CHECK(index.find(100) == nullptr);
    SourceItem first{"a.jpg", 100};
    auto& group = index.open(first, false);
    CHECK(index.find(100) == &group);
    CHECK(group.first.path == "a.jpg");
    CHECK(index.find(101) == nullptr);
    // Opening again keeps the first item.
    SourceItem other{"b.jpg", 100};
    CHECK(index.open(other, true).first.path == "a.jpg");
}

namespace {
// Heads are hex SHA-256s of a file's first 64 KiB.
const std::string kA(64, 'a'), kB(64, 'b'), kC(64, 'c');
}  // namespace

TEST_CASE("twin index: only a head seen before, or a committed size, asks for a full hash") {
    TwinIndex index;
    auto& group = index.open(SourceItem{"a.jpg", 100}, false);
    group.first_head = kA;
    CHECK_FALSE(group.needs_full_hash(kB));
    CHECK(group.needs_full_hash(kA));
    group.add_head(kB);
    CHECK(group.needs_full_hash(kB));
    CHECK_FALSE(group.needs_full_hash(kC));

    auto& committed = index.open(SourceItem{"c.jpg", 200}, true);
    committed.first_head = kC;
    CHECK(committed.needs_full_hash("anything"));
}

TEST_CASE("twin index: a possible twin waits only for uploads that share its head") {
    TwinIndex index;
    auto& group = index.open(SourceItem{"a.jpg", 100}, false);
    group.first_head = kA;
    group.first_uploading = true;
    CHECK_FALSE(group.settled(kA));  // the first is still going up
    CHECK(group.settled(kB));
    group.first_uploading = false;
    CHECK(group.settled(kA));
    group.upload_started(kB);
    group.upload_started(kB);
    CHECK_FALSE(group.settled(kB));
    CHECK(group.settled(kA));
    group.upload_ended(kB);
    CHECK_FALSE(group.settled(kB));  // the other is still going up
    group.upload_ended(kB);
    CHECK(group.settled(kB));
    CHECK(group.uploading_by_head.empty());  // nothing kept for heads no longer uploading
}

TEST_CASE("twin index: while the first's head is unknown, every head waits for it") {
    TwinIndex index;
    auto& group = index.open(SourceItem{"a.jpg", 100}, false);
    CHECK_FALSE(group.settled("anything"));
    group.first_uploading = false;
    CHECK(group.settled("anything"));
}
