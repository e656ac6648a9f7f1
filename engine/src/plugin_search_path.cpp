// Where plugins are looked for, in order of precedence.
#include <boost/dll/runtime_symbol_info.hpp>
#include <system_error>

#include "photosync/engine/plugin_registry.hpp"

namespace photosync::engine {

namespace fs = std::filesystem;

bool looks_like_plugin_file(const fs::path& path) {
    auto name = path.filename().string();
    return name.starts_with("photosync-plugin-") && name.ends_with(".so");
}

std::vector<fs::path> standard_plugin_dirs(std::span<const fs::path> extra_dirs,
                                           std::string_view env_value) {
    std::vector<fs::path> dirs(extra_dirs.begin(), extra_dirs.end());
    while (!env_value.empty()) {
        auto colon = env_value.find(':');
        auto entry = env_value.substr(0, colon);
        if (!entry.empty()) {
            dirs.emplace_back(entry);
        }
        env_value =
            colon == std::string_view::npos ? std::string_view{} : env_value.substr(colon + 1);
    }
    std::error_code ec;
    fs::path exe = boost::dll::program_location(ec);
    if (!ec) {
        dirs.push_back(exe.parent_path());
        dirs.push_back(exe.parent_path().parent_path() / "lib" / "photosync" / "plugins");
    }
    // The engine library's own install location, for programs that embed it.
    ec.clear();
    fs::path self = boost::dll::this_line_location(ec);
    if (!ec) {
        dirs.push_back(self.parent_path() / "photosync" / "plugins");
    }
    // Same folder reached twice (build tree, symlinks): search it once.
    std::vector<fs::path> unique;
    for (auto& d : dirs) {
        auto canon = fs::weakly_canonical(d, ec);
        auto key = ec ? d : canon;
        if (std::find(unique.begin(), unique.end(), key) == unique.end()) {
            unique.push_back(key);
        }
    }
    return unique;
}

}  // namespace photosync::engine
