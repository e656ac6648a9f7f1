#include "config_file.hpp"

#include <toml++/toml.h>

#include <cstdlib>

#include "photosync/engine/bandwidth.hpp"

namespace photosync::cli {

namespace fs = std::filesystem;

namespace {

std::string where(const fs::path& file, const toml::node& node) {
    return "config " + file.string() + ":" + std::to_string(node.source().begin.line);
}

sdk::Error config_error(std::string message) {
    return sdk::Error{sdk::ErrorKind::invalid_input, std::move(message), std::nullopt};
}

sdk::Result<std::string> as_string(const fs::path& file, const std::string& key,
                                   const toml::node& n) {
    if (auto s = n.value<std::string>(); s && n.is_string()) {
        return *s;
    }
    return std::unexpected(config_error(where(file, n) + ": '" + key + "' must be a string"));
}

sdk::Result<std::vector<std::string>> as_strings(const fs::path& file, const std::string& key,
                                                 const toml::node& n) {
    const auto* arr = n.as_array();
    std::vector<std::string> out;
    if (arr != nullptr) {
        for (const auto& e : *arr) {
            if (!e.is_string()) {
                break;
            }
            out.push_back(*e.value<std::string>());
        }
        if (out.size() == arr->size()) {
            return out;
        }
    }
    return std::unexpected(config_error(where(file, n) + ": '" + key +
                                        "' must be a list of strings, e.g. [\"*.jpg\"]"));
}

sdk::Result<JobSettings> read_settings(const fs::path& file, const toml::table& table,
                                       const std::string& section, bool allow_target) {
    JobSettings s;
    for (const auto& [k, node] : table) {
        std::string key(k.str());
        auto set_string = [&](std::optional<std::string>& field) -> sdk::Result<void> {
            auto v = as_string(file, key, node);
            if (!v) {
                return std::unexpected(v.error());
            }
            field = *v;
            return {};
        };
        sdk::Result<void> ok;
        if (key == "to") {
            ok = set_string(s.to);
        } else if (key == "from") {
            ok = set_string(s.from);
        } else if (key == "log_file") {
            ok = set_string(s.log_file);
        } else if (key == "bwlimit") {
            ok = set_string(s.bwlimit);
            if (ok) {
                if (auto parsed = engine::parse_bandwidth(*s.bwlimit); !parsed) {
                    return std::unexpected(
                        config_error(where(file, node) + ": " + parsed.error().message));
                }
            }
        } else if (key == "move_to") {
            ok = set_string(s.move_to);
        } else if (key == "delete_after_upload") {
            if (!node.is_boolean()) {
                return std::unexpected(config_error(
                    where(file, node) + ": 'delete_after_upload' must be true or false"));
            }
            s.delete_after_upload = *node.value<bool>();
        } else if (allow_target && key == "folder") {
            ok = set_string(s.folder);
        } else if (allow_target && key == "album") {
            ok = set_string(s.album);
        } else if (key == "settle") {  // photosync watch --settle
            auto v = node.value<double>();
            if (!(node.is_integer() || node.is_floating_point()) || !v || *v < 0 || *v > 3600) {
                return std::unexpected(config_error(
                    where(file, node) + ": 'settle' must be a number of seconds from 0 to 3600"));
            }
            s.settle = *v;
        } else if (key == "jobs") {
            auto v = node.value<std::int64_t>();
            if (!node.is_integer() || !v || *v < 1 || *v > 64) {
                return std::unexpected(
                    config_error(where(file, node) + ": 'jobs' must be a number from 1 to 64"));
            }
            s.jobs = static_cast<std::size_t>(*v);
        } else if (key == "include" || key == "exclude") {
            auto v = as_strings(file, key, node);
            if (!v) {
                return std::unexpected(v.error());
            }
            (key == "include" ? s.include : s.exclude) = *v;
        } else {
            return std::unexpected(config_error(where(file, node) + ": unknown key '" + key +
                                                "' in [" + section + "]"));
        }
        if (!ok) {
            return std::unexpected(ok.error());
        }
    }
    return s;
}

}  // namespace

fs::path default_config_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
        return fs::path(xdg) / "photosync" / "config.toml";
    }
    const char* home = std::getenv("HOME");
    return fs::path(home == nullptr ? "/" : home) / ".config" / "photosync" / "config.toml";
}

sdk::Result<Config> load_config(const fs::path& file, bool must_exist) {
    Config config;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        if (must_exist) {
            return std::unexpected(config_error("config " + file.string() + " does not exist"));
        }
        return config;
    }
    config.file = file;
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        return std::unexpected(config_error("config " + file.string() + ":" +
                                            std::to_string(e.source().begin.line) + ": " +
                                            std::string(e.description())));
    }
    for (const auto& [k, node] : root) {
        std::string key(k.str());
        const auto* table = node.as_table();
        if (table == nullptr) {
            return std::unexpected(
                config_error(where(file, node) + ": unknown top-level key '" + key +
                             "' (expected [defaults], [plugins.NAME], [jobs.NAME])"));
        }
        if (key == "defaults") {
            auto s = read_settings(file, *table, "defaults", false);
            if (!s) {
                return std::unexpected(s.error());
            }
            config.defaults = *s;
        } else if (key == "jobs" || key == "plugins") {
            for (const auto& [name_key, sub] : *table) {
                std::string name(name_key.str());
                const auto* sub_table = sub.as_table();
                if (sub_table == nullptr) {
                    return std::unexpected(config_error(where(file, sub) + ": '" + key + "." +
                                                        name + "' must be a table, e.g. [" + key +
                                                        "." + name + "]"));
                }
                if (key == "jobs") {
                    auto s = read_settings(file, *sub_table, "jobs." + name, true);
                    if (!s) {
                        return std::unexpected(s.error());
                    }
                    config.jobs[name] = *s;
                    continue;
                }
                auto& options = config.plugin_options[name];
                for (const auto& [ok, ov] : *sub_table) {
                    std::string opt(ok.str());
                    if (ov.is_string()) {
                        options[opt] = *ov.value<std::string>();
                    } else if (ov.is_integer()) {
                        options[opt] = std::to_string(*ov.value<std::int64_t>());
                    } else if (ov.is_boolean()) {
                        options[opt] = *ov.value<bool>() ? "true" : "false";
                    } else {
                        return std::unexpected(
                            config_error(where(file, ov) + ": option '" + opt +
                                         "' must be a string, number or boolean"));
                    }
                }
            }
        } else {
            return std::unexpected(
                config_error(where(file, node) + ": unknown section [" + key +
                             "] (expected [defaults], [plugins.NAME], [jobs.NAME])"));
        }
    }
    return config;
}

}  // namespace photosync::cli
