// The plugins found on the search path, loaded through Boost.DLL. A file that
// is not a plugin, or was built for another ABI, is refused with one line
// naming it (problems()), never a crash.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "photosync/sdk/plugin.hpp"

namespace photosync::engine {

struct PluginOption {
    std::string name;
    std::string help;
    std::string default_value;
    bool has_default = false;
    bool secret = false;
};

struct PluginDescriptor {
    std::string name;
    sdk::PluginKind kind = sdk::PluginKind::source;
    std::string version;
    std::string description;
    std::filesystem::path path;
    std::vector<PluginOption> options;
    bool has_authenticator = false;  // supports `photosync auth`
};

struct PluginProblem {
    std::filesystem::path path;
    std::string message;  // one line: what is wrong and what to do
};

// Only files named photosync-plugin-*.so are considered on the search path.
[[nodiscard]] bool looks_like_plugin_file(const std::filesystem::path& path);

// The standard search path, in order of precedence: extra_dirs (--plugin-dir),
// PHOTOSYNC_PLUGIN_PATH (':'-separated, given as env_value), the running
// program's folder and its ../lib/photosync/plugins, and the engine library's
// own photosync/plugins folder (for embedders).
[[nodiscard]] std::vector<std::filesystem::path> standard_plugin_dirs(
    std::span<const std::filesystem::path> extra_dirs, std::string_view env_value);

class PluginRegistry {
  public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(PluginRegistry&&) noexcept;
    PluginRegistry& operator=(PluginRegistry&&) noexcept;

    // Scans dirs in order; the first plugin of a name wins.
    static PluginRegistry discover(std::span<const std::filesystem::path> dirs);

    // Loads one file. On failure, the problem is recorded and returned.
    sdk::Result<const PluginDescriptor*> load_file(const std::filesystem::path& path);

    [[nodiscard]] std::vector<PluginDescriptor> plugins() const;
    [[nodiscard]] const std::vector<PluginProblem>& problems() const noexcept;
    [[nodiscard]] const std::vector<std::filesystem::path>& searched_dirs() const noexcept;
    [[nodiscard]] const PluginDescriptor* find(std::string_view name) const;

    // Instances keep their library loaded for as long as they live.
    sdk::Result<std::shared_ptr<sdk::Source>> make_source(std::string_view name,
                                                          const sdk::PluginContext& context,
                                                          const sdk::PluginConfig& config) const;
    sdk::Result<std::shared_ptr<sdk::Destination>> make_destination(
        std::string_view name, const sdk::PluginContext& context,
        const sdk::PluginConfig& config) const;
    // For plugins that sign users in (PluginDescriptor::has_authenticator).
    sdk::Result<std::shared_ptr<sdk::Authenticator>> make_authenticator(
        std::string_view name, const sdk::PluginContext& context,
        const sdk::PluginConfig& config) const;

  private:
    struct Loaded;
    std::vector<std::shared_ptr<Loaded>> loaded_;
    std::vector<PluginProblem> problems_;
    std::vector<std::filesystem::path> searched_;
    sdk::Result<std::shared_ptr<const Loaded>> find_kind(std::string_view name,
                                                         sdk::PluginKind kind) const;
};

}  // namespace photosync::engine
