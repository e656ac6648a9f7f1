// The plugin boundary: real plugins load through Boost.DLL; libraries that
// are not plugins, or speak another ABI, are refused with one clear line.
#include <catch2/catch.hpp>
#include <fstream>

#include "photosync/engine/plugin_registry.hpp"
#include "plugin_harness.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using photosync::engine::PluginRegistry;
using photosync::sdk::ErrorKind;
using photosync::sdk::PluginKind;

namespace {
const photosync::engine::PluginProblem* problem_for(const PluginRegistry& r,
                                                    const std::string& file) {
    for (const auto& p : r.problems()) {
        if (p.path.filename() == file)
            return &p;
    }
    return nullptr;
}
}  // namespace

TEST_CASE("the shipped plugins load through Boost.DLL with their kind and version") {
    auto registry = PluginRegistry::discover(std::vector<fs::path>{PHOTOSYNC_TEST_PLUGIN_DIR});
    CHECK(registry.problems().empty());
    const auto* local = registry.find("local");
    REQUIRE(local != nullptr);
    CHECK(local->kind == PluginKind::source);
    CHECK(local->version == "1.0.0");
    CHECK(local->path.filename() == "photosync-plugin-local.so");
    CHECK(local->options.size() == 4);  // include_hidden, follow_symlinks, max_depth, settle_ms
    const auto* folder = registry.find("folder");
    REQUIRE(folder != nullptr);
    CHECK(folder->kind == PluginKind::destination);
}

TEST_CASE("a plugin built for another SDK ABI version is refused before it is used") {
    auto registry =
        PluginRegistry::discover(std::vector<fs::path>{PHOTOSYNC_TEST_FIXTURE_PLUGIN_DIR});
    CHECK(registry.find("wrongabi") == nullptr);
    const auto* p = problem_for(registry, "photosync-plugin-wrongabi.so");
    REQUIRE(p != nullptr);
    CHECK_THAT(p->message, Catch::StartsWith("plugin " + p->path.string() + " refused: "));
    CHECK_THAT(p->message,
               Catch::Contains("built for SDK ABI version 999, this photosync needs version " +
                               std::to_string(PHOTOSYNC_SDK_ABI_VERSION)));
    CHECK(p->message.find('\n') == std::string::npos);
}

TEST_CASE("a shared library that is not a plugin is refused with a clear line") {
    auto registry =
        PluginRegistry::discover(std::vector<fs::path>{PHOTOSYNC_TEST_FIXTURE_PLUGIN_DIR});
    const auto* p = problem_for(registry, "photosync-plugin-notaplugin.so");
    REQUIRE(p != nullptr);
    CHECK_THAT(p->message, Catch::Contains("not a photosync plugin"));
    CHECK(registry.plugins().empty());
}

TEST_CASE("a file that is not a shared library at all is refused, not a crash") {
    photosync::test::TempDir dir;
    std::ofstream(dir / "photosync-plugin-garbage.so") << "this is not ELF";
    std::ofstream(dir / "unrelated.so") << "ignored: not named like a plugin";
    auto registry = PluginRegistry::discover(std::vector<fs::path>{dir.path()});
    REQUIRE(registry.problems().size() == 1);
    CHECK_THAT(
        registry.problems()[0].message,
        Catch::Contains("photosync-plugin-garbage.so refused: not a loadable shared library"));
}

TEST_CASE("earlier folders on the search path take precedence, and both kinds are listed") {
    auto once = PluginRegistry::discover(std::vector<fs::path>{PHOTOSYNC_TEST_PLUGIN_DIR});
    auto twice = PluginRegistry::discover(
        std::vector<fs::path>{PHOTOSYNC_TEST_PLUGIN_DIR, PHOTOSYNC_TEST_PLUGIN_DIR});
    CHECK(twice.plugins().size() == once.plugins().size());  // the second copy is shadowed
    CHECK(twice.problems().empty());
    CHECK(twice.searched_dirs().size() == 2);
}

TEST_CASE("the standard search path puts --plugin-dir, then PHOTOSYNC_PLUGIN_PATH first") {
    std::vector<fs::path> extra{"/opt/a"};
    auto dirs = photosync::engine::standard_plugin_dirs(extra, "/opt/b::/opt/c");
    REQUIRE(dirs.size() >= 4);
    CHECK(dirs[0] == "/opt/a");
    CHECK(dirs[1] == "/opt/b");
    CHECK(dirs[2] == "/opt/c");
}

TEST_CASE("asking for a missing plugin, or one of the wrong kind, names what exists") {
    photosync::test::PluginHarness h;
    auto none = h.registry.make_destination("nope", h.context(), {});
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == ErrorKind::not_found);
    CHECK_THAT(none.error().message,
               Catch::Contains("no destination plugin named 'nope' (available: folder"));
    auto wrong_kind = h.registry.make_destination("local", h.context(), {});
    REQUIRE_FALSE(wrong_kind);
    CHECK(wrong_kind.error().kind == ErrorKind::not_found);
}

TEST_CASE("a plugin's objects keep its library loaded after the registry is gone") {
    photosync::test::TempDir dir;
    // No other registry may hold the library, or the test proves nothing.
    photosync::test::RecordingLog log;
    boost::asio::io_context io;
    boost::asio::thread_pool pool(1);
    std::shared_ptr<photosync::sdk::Source> source;
    photosync::sdk::PluginContext context{io.get_executor(), pool.get_executor(), &log, {}};
    {
        auto registry = PluginRegistry::discover(std::vector<fs::path>{PHOTOSYNC_TEST_PLUGIN_DIR});
        photosync::sdk::PluginConfig config;
        config.location = dir.path().string();
        auto made = registry.make_source("local", context, config);
        REQUIRE(made);
        source = *made;
    }
    // The vtable lives in the plugin: this would crash if it had been unloaded.
    CHECK(source->describe() == "local:" + dir.path().string());
}
