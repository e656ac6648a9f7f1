// The plugin under test, its executors, and the run's settings.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "photosync/engine/endpoint.hpp"
#include "photosync/engine/plugin_registry.hpp"
#include "photosync/sdk/asio.hpp"

namespace photosync::conformance {

struct Settings {
    std::string plugin;  // a name on the search path, or a path to a .so
    std::vector<std::filesystem::path> plugin_dirs;
    std::string location;
    std::vector<std::string> options;  // KEY=VALUE
    std::filesystem::path state_dir;   // the plugin's state dir (credentials)
    std::size_t large_mb = 256;        // size of the constant-memory item
};

class Harness {
  public:
    explicit Harness(const Settings& settings);
    ~Harness();

    [[nodiscard]] const engine::PluginDescriptor& descriptor() const { return *descriptor_; }
    [[nodiscard]] std::shared_ptr<sdk::Source> source();
    [[nodiscard]] std::shared_ptr<sdk::Destination> destination();
    [[nodiscard]] const Settings& settings() const { return settings_; }
    [[nodiscard]] boost::asio::io_context& io() { return io_; }

    // Runs a coroutine to completion on the harness's io_context.
    template <class T>
    T run(sdk::awaitable<T> task);

  private:
    sdk::PluginContext context();
    Settings settings_;
    engine::PluginRegistry registry_;  // first: outlives the pools and the plugin's objects
    std::unique_ptr<sdk::LogSink> log_;
    boost::asio::thread_pool blocking_{2};
    boost::asio::io_context io_;
    const engine::PluginDescriptor* descriptor_ = nullptr;
    sdk::PluginConfig config_;
};

// The one Harness of this run, set up by main() before any test runs.
Harness& harness();
void set_harness(Harness* h);

}  // namespace photosync::conformance

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

template <class T>
T photosync::conformance::Harness::run(sdk::awaitable<T> task) {
    auto future = boost::asio::co_spawn(io_, std::move(task), boost::asio::use_future);
    io_.restart();
    io_.run();
    return future.get();
}
