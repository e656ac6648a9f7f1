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

TEST_CASE("twin index: only a head seen before, or a committed size, asks for a full hash") {
    TwinIndex index;
    auto& group = index.open(SourceItem{"a.jpg", 100}, false);
    group.first_head = "h-a";
    CHECK_FALSE(group.needs_full_hash("h-b"));
    CHECK(group.needs_full_hash("h-a"));
    group.heads.insert("h-b");
    CHECK(group.needs_full_hash("h-b"));
    CHECK_FALSE(group.needs_full_hash("h-c"));

    auto& committed = index.open(SourceItem{"c.jpg", 200}, true);
    committed.first_head = "h-c";
    CHECK(committed.needs_full_hash("anything"));
}

TEST_CASE("twin index: a possible twin waits only for uploads that share its head") {
    TwinIndex index;
    auto& group = index.open(SourceItem{"a.jpg", 100}, false);
    group.first_head = "h-a";
    group.first_uploading = true;
    CHECK_FALSE(group.settled("h-a"));  // the first is still going up
    CHECK(group.settled("h-b"));
    group.first_uploading = false;
    CHECK(group.settled("h-a"));
    group.uploading_by_head["h-b"] = 1;
    CHECK_FALSE(group.settled("h-b"));
    CHECK(group.settled("h-a"));
    group.uploading_by_head["h-b"] = 0;
    CHECK(group.settled("h-b"));
}

TEST_CASE("twin index: while the first's head is unknown, every head waits for it") {
    TwinIndex index;
    auto& group = index.open(SourceItem{"a.jpg", 100}, false);
    CHECK_FALSE(group.settled("anything"));
    group.first_uploading = false;
    CHECK(group.settled("anything"));
}
