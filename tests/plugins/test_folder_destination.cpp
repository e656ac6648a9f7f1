// The `folder` destination through the real plugin: stage, commit (a batch
// can half-succeed), name collisions, listing; nothing torn is ever visible.
#include <catch2/catch.hpp>

#include "media_files.hpp"
#include "memory_stream.hpp"
#include "plugin_harness.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace photosync;

namespace {

std::shared_ptr<sdk::Destination> make_folder(test::PluginHarness& h, const fs::path& root) {
    sdk::PluginConfig config;
    config.location = root.string();
    auto d = h.registry.make_destination("folder", h.context(), config);
    REQUIRE(d);
    return *d;
}

sdk::awaitable<sdk::Result<sdk::Receipt>> stage(sdk::Destination& d, sdk::SourceItem item,
                                                std::string bytes) {
    test::MemoryStream stream(std::move(bytes));
    co_return co_await d.stage(item, stream);
}

sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> commit(
    sdk::Destination& d, sdk::Container c, std::vector<sdk::StagedItem> items) {
    co_return co_await d.commit(c, items);
}

sdk::SourceItem item_named(const std::string& path, std::size_t size) {
    sdk::SourceItem i;
    i.path = path;
    i.size = size;
    i.mime_type = "image/jpeg";
    return i;
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        n += e.is_regular_file() ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("the folder destination creates an album once and reuses it by title") {
    test::TempDir tmp;
    test::PluginHarness h;
    auto dest = make_folder(h, tmp / "out");
    auto a = h.run(dest->resolve_container({"Trip 2026", "", true}));
    REQUIRE(a);
    CHECK(a->writable);
    CHECK(fs::is_directory(tmp / "out/Trip 2026"));
    auto b = h.run(dest->resolve_container({"Trip 2026", "", true}));
    REQUIRE(b);
    CHECK(b->id == a->id);
    auto c = h.run(dest->resolve_container({"Nope", "", false}));
    REQUIRE_FALSE(c);
    CHECK(c.error().kind == sdk::ErrorKind::not_found);
    auto slash = h.run(dest->resolve_container({"../escape/attempt", "", true}));
    REQUIRE(slash);
    CHECK(fs::is_directory(tmp / "out" / slash->id));
    CHECK(slash->id.find('/') == std::string::npos);
}

TEST_CASE("staged items are invisible until committed, and a batch can half-succeed") {
    test::TempDir tmp;
    test::PluginHarness h;
    auto dest = make_folder(h, tmp / "out");
    auto album = h.run(dest->resolve_container({"Album", "", true}));
    REQUIRE(album);

    std::string one(70000, 'a'), two(1234, 'b'), three(999, 'c');
    auto r1 = h.run(stage(*dest, item_named("x/IMG.jpg", one.size()), one));
    auto r2 = h.run(stage(*dest, item_named("y/IMG.jpg", two.size()), two));
    auto r3 = h.run(stage(*dest, item_named("z.jpg", three.size()), three));
    REQUIRE(r1);
    REQUIRE(r2);
    REQUIRE(r3);
    CHECK(files_in(tmp / "out/Album") == 0);  // staging is invisible

    sdk::StagedItem bogus{item_named("bogus.jpg", 1), sdk::Receipt{"../../etc/passwd", {}}};
    auto outcomes = h.run(commit(*dest, *album,
                                 {{item_named("x/IMG.jpg", one.size()), *r1},
                                  bogus,
                                  {item_named("y/IMG.jpg", two.size()), *r2},
                                  {item_named("z.jpg", three.size()), *r3}}));
    REQUIRE(outcomes);
    REQUIRE(outcomes->size() == 4);
    REQUIRE((*outcomes)[0]);
    CHECK((*outcomes)[0]->remote_id == "IMG.jpg");
    REQUIRE_FALSE((*outcomes)[1]);
    CHECK((*outcomes)[1].error().kind == sdk::ErrorKind::invalid_input);
    REQUIRE((*outcomes)[2]);
    CHECK((*outcomes)[2]->remote_id == "IMG (2).jpg");  // same name, nothing overwritten
    REQUIRE((*outcomes)[3]);
    CHECK(test::read_file(tmp / "out/Album/IMG.jpg") == one);
    CHECK(test::read_file(tmp / "out/Album/IMG (2).jpg") == two);
    CHECK(test::read_file(tmp / "out/Album/z.jpg") == three);

    auto listed = h.run(dest->list_container(*album));
    REQUIRE(listed);
    CHECK(listed->size() == 3);

    // Committing the same receipt again: its staged copy is gone.
    auto again = h.run(commit(*dest, *album, {{item_named("z.jpg", three.size()), *r3}}));
    REQUIRE(again);
    REQUIRE_FALSE((*again)[0]);
    CHECK_THAT((*again)[0].error().message, Catch::Contains("staged copy is gone"));
}

TEST_CASE("a stream that ends early is not staged") {
    test::TempDir tmp;
    test::PluginHarness h;
    auto dest = make_folder(h, tmp / "out");
    auto r = h.run(stage(*dest, item_named("short.jpg", 5000), std::string(10, 'x')));
    REQUIRE_FALSE(r);
    CHECK(files_in(tmp / "out/.photosync-staging") == 0);
}
