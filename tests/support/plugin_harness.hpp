// Real plugins, loaded through Boost.DLL from the build tree, with an
// io_context and blocking pool like the engine's, for testing one plugin.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "async.hpp"
#include "photosync/engine/plugin_registry.hpp"
#include "photosync/sdk/plugin.hpp"

namespace photosync::test {

class RecordingLog final : public sdk::LogSink {
  public:
    void write(sdk::LogLevel, std::string_view message) noexcept override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(message);
    }
    bool enabled(sdk::LogLevel) const noexcept override { return true; }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

struct PluginHarness {
    // Declared first, destroyed last: threads may still be returning through
    // plugin code after the last hop, so the libraries must outlive the pools
    // (the Engine orders its members the same way).
    engine::PluginRegistry registry = engine::PluginRegistry::discover(
        std::vector<std::filesystem::path>{PHOTOSYNC_TEST_PLUGIN_DIR});
    RecordingLog log;
    boost::asio::thread_pool blocking{2};
    boost::asio::io_context io;

    sdk::PluginContext context(const std::filesystem::path& state_dir = {}) {
        return sdk::PluginContext{io.get_executor(), blocking.get_executor(), &log, state_dir};
    }

    template <class T>
    T run(sdk::awaitable<T> task) {
        return run_awaitable(io, std::move(task));
    }
};

}  // namespace photosync::test
