#include "config_file.hpp"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "photosync/engine/bandwidth.hpp"
#include "toml_guard.hpp"

namespace photosync::cli {

namespace fs = std::filesystem;

namespace {

std::string where(const fs::path& file, const toml::node& node) {
    return "config " + file.string() + ":" + std::to_string(node.source().begin.line);
}

// One line, whatever the file holds: control characters of quoted keys
// ("a\nb" = 1) or values are shown as \xNN (found by tests/fuzz/fuzz_config).
sdk::Error config_error(std::string message) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string shown;
    for (char c : message) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            shown += "\\x";
            shown += hex[u >> 4];
            shown += hex[u & 0xF];
        } else {
            shown += c;
        }
    }
    return sdk::Error{sdk::ErrorKind::invalid_input, std::move(shown), std::nullopt};
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

namespace {

sdk::Error toml_error(const fs::path& file, const toml::parse_error& e) {
    return config_error("config " + file.string() + ":" + std::to_string(e.source().begin.line) +
                        ": " + std::string(e.description()));
}

// The sections of a parsed file; `config.file` is set.
sdk::Result<Config> read_config(Config config, const toml::table& root) {
    const fs::path& file = config.file;
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

}  // namespace

sdk::Result<Config> parse_config(std::string_view text, const fs::path& file) {
    if (auto bad = toml_unsafe_character(text)) {
        using Where = TomlGuardFinding::Where;
        std::string message = "config " + file.string() + ":" + std::to_string(bad->line) + ": '" +
                              bad->character + "' ";
        switch (bad->where) {
            case Where::outside_quotes:
                message +=
                    "outside quotes: names with letters beyond ASCII must be quoted, "
                    "e.g. [jobs.\"łódź\"] or \"clé\" = 1";
                break;
            case Where::after_backslash:
                message +=
                    "right after a backslash in a \"\"\" string cannot be read: write it "
                    "another way, e.g. in a \"quoted\" string";
                break;
            case Where::after_a_mistake:
                message +=
                    "cannot be read here: this line or one before it is not valid TOML "
                    "(letters beyond ASCII belong in \"quoted\" strings)";
                break;
        }
        return std::unexpected(config_error(std::move(message)));
    }
    Config config;
    config.file = file;
    toml::table root;
    try {
        root = toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        return std::unexpected(toml_error(file, e));
    }
    return read_config(std::move(config), root);
}

sdk::Result<Config> load_config(const fs::path& file, bool must_exist) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        if (must_exist) {
            return std::unexpected(config_error("config " + file.string() + " does not exist"));
        }
        return Config{};
    }
    std::ifstream in(file, std::ios::binary);
    std::string text;
    try {
        if (in) {
            text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    } catch (const std::exception&) {  // a read error (EISDIR: a folder named as the file)
        in.setstate(std::ios::badbit);
    }
    if (!in) {
        return std::unexpected(config_error("config " + file.string() +
                                            " cannot be read: name a TOML file with --config"));
    }
    return parse_config(text, file);
}

}  // namespace photosync::cli
