// What every Source must do (sdk/source.hpp), against the location given
// with --location, which must hold at least one item.
#include <catch2/catch.hpp>
#include <set>

#include "harness.hpp"
#include "photosync/engine/engine.hpp"

using namespace photosync;
using namespace photosync::conformance;

namespace {

sdk::awaitable<sdk::Result<std::vector<sdk::ScanEntry>>> list_all(std::shared_ptr<sdk::Source> s) {
    auto lister = co_await s->list();
    if (!lister) {
        co_return std::unexpected(lister.error());
    }
    std::vector<sdk::ScanEntry> out;
    for (;;) {
        auto e = co_await (*lister)->next();
        if (!e) {
            co_return std::unexpected(e.error());
        }
        if (!*e) {
            co_return out;
        }
        out.push_back(std::move(**e));
    }
}

// Reads an item fully in uneven chunks; returns (bytes, a checksum).
sdk::awaitable<sdk::Result<std::pair<std::uint64_t, std::uint64_t>>> read_all(
    std::shared_ptr<sdk::Source> s, sdk::SourceItem item, std::uint64_t from) {
    auto stream = co_await s->open(item);
    if (!stream) {
        co_return std::unexpected(stream.error());
    }
    if (from > 0) {
        auto sought = co_await (*stream)->seek(from);
        if (!sought) {
            co_return std::unexpected(sought.error());
        }
    }
    std::vector<std::byte> buf(65537);
    std::uint64_t total = 0, sum = 1469598103934665603ULL;
    for (;;) {
        auto n = co_await (*stream)->read(buf);
        if (!n) {
            co_return std::unexpected(n.error());
        }
        if (*n == 0) {
            break;
        }
        for (std::size_t i = 0; i < *n; ++i) {
            sum = (sum ^ std::to_integer<std::uint64_t>(buf[i])) * 1099511628211ULL;
        }
        total += *n;
    }
    co_return std::pair{total, sum};
}

std::vector<sdk::SourceItem> items_of(const std::vector<sdk::ScanEntry>& entries) {
    std::vector<sdk::SourceItem> out;
    for (const auto& e : entries) {
        if (const auto* i = std::get_if<sdk::SourceItem>(&e)) {
            out.push_back(*i);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("source 1: lists items with relative paths, sizes and types, in a stable order",
          "[source]") {
    auto s = harness().source();
    CHECK_FALSE(s->describe().empty());
    auto first = harness().run(list_all(s));
    REQUIRE(first);
    auto items = items_of(*first);
    REQUIRE_FALSE(items.empty());
    std::set<std::string> seen;
    for (const auto& i : items) {
        INFO(sdk::display_path(i.path));
        CHECK_FALSE(i.path.empty());
        CHECK(i.path.front() != '/');
        CHECK(i.path.find("../") == std::string::npos);
        CHECK_FALSE(i.mime_type.empty());
        CHECK(seen.insert(i.path).second);  // no item twice
    }
    auto second = harness().run(list_all(s));
    REQUIRE(second);
    auto again = items_of(*second);
    REQUIRE(again.size() == items.size());
    for (std::size_t k = 0; k < items.size(); ++k) {
        CHECK(again[k].path == items[k].path);
    }
}

TEST_CASE("source 2: every item streams exactly its size; seek resumes mid-way", "[source]") {
    auto s = harness().source();
    auto listed = harness().run(list_all(s));
    REQUIRE(listed);
    auto items = items_of(*listed);
    std::size_t checked = 0;
    for (const auto& item : items) {
        auto whole = harness().run(read_all(s, item, 0));
        if (!whole) {
            // A per-item failure must be typed and not retryable forever.
            CHECK_FALSE(whole.error().message.empty());
            continue;
        }
        CHECK(whole->first == item.size);
        if (++checked == 1 && item.size > 10) {
            auto tail = harness().run(read_all(s, item, item.size / 2));
            REQUIRE(tail);
            CHECK(tail->first == item.size - item.size / 2);
        }
    }
    CHECK(checked > 0);
}

TEST_CASE("source 3: opening an item that is not there is a typed error", "[source]") {
    auto s = harness().source();
    sdk::SourceItem ghost;
    ghost.path = "photosync-conformance-does-not-exist.jpg";
    ghost.size = 10;
    ghost.mime_type = "image/jpeg";
    auto r = harness().run(read_all(s, ghost, 0));
    REQUIRE_FALSE(r);
    CHECK((r.error().kind == sdk::ErrorKind::not_found || r.error().kind == sdk::ErrorKind::io));
}
