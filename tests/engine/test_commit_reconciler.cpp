// The reconciliation rule on its own: which `committing` items the album
// already holds after a commit whose outcome was never learnt.
#include <catch2/catch.hpp>

#include "commit_reconciler.hpp"

using namespace photosync;
using namespace photosync::engine;

namespace {

LedgerEntry committing(std::string path, std::uint64_t size) {
    LedgerEntry e;
    e.path = std::move(path);
    e.size = size;
    e.state = ItemState::committing;
    return e;
}

}  // namespace

TEST_CASE("an item is added when the album holds its name and size, and not otherwise") {
    std::vector<LedgerEntry> entries{committing("a/IMG_1.jpg", 100), committing("IMG_2.jpg", 200),
                                     committing("b/IMG_3.jpg", 300)};
    std::vector<sdk::RemoteItem> album{{"r1", "IMG_1.jpg", 100}, {"r3", "IMG_3.jpg", 999}};
    auto d = reconcile_commits(entries, album, {});
    REQUIRE(d.size() == 3);
    CHECK(d[0].path == "a/IMG_1.jpg");
    CHECK(d[0].remote_id == "r1");
    CHECK_FALSE(d[1].remote_id);  // not in the album
    CHECK_FALSE(d[2].remote_id);  // same name, another size: another file
}

TEST_CASE("an album item the ledger already accounts for vouches for nobody else") {
    std::vector<LedgerEntry> entries{committing("new/IMG_1.jpg", 100)};
    std::vector<sdk::RemoteItem> album{{"old", "IMG_1.jpg", 100}};
    CHECK_FALSE(reconcile_commits(entries, album, {"old"})[0].remote_id);
    CHECK(reconcile_commits(entries, album, {})[0].remote_id == "old");
}

TEST_CASE("two files of one name: one album copy is taken for one of them only") {
    std::vector<LedgerEntry> entries{committing("x/IMG_1.jpg", 100),
                                     committing("y/IMG_1.jpg", 100)};
    std::vector<sdk::RemoteItem> one{{"r1", "IMG_1.jpg", 100}};
    auto d = reconcile_commits(entries, one, {});
    CHECK(d[0].remote_id == "r1");
    CHECK_FALSE(d[1].remote_id);
    std::vector<sdk::RemoteItem> two{{"r1", "IMG_1.jpg", 100}, {"r2", "IMG_1.jpg", 100}};
    d = reconcile_commits(entries, two, {});
    CHECK(d[0].remote_id == "r1");  // album order
    CHECK(d[1].remote_id == "r2");
}

TEST_CASE("a destination that reports no sizes is matched by name") {
    std::vector<LedgerEntry> entries{committing("IMG_1.jpg", 100)};
    std::vector<sdk::RemoteItem> album{{"r1", "IMG_1.jpg", std::nullopt}};
    CHECK(reconcile_commits(entries, album, {})[0].remote_id == "r1");
}
