// The TOML config file: defaults, plugin options and named jobs.
//
//   [defaults]            to, from, jobs, include, exclude, log_file, move_to,
//                         delete_after_upload
//   [plugins.NAME]        options of plugin NAME (strings, numbers, booleans)
//   [jobs.NAME]           folder, album, and any key of [defaults]
//
// Strict: an unknown key or a wrong type is an error naming file, line and key.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "photosync/sdk/error.hpp"

namespace photosync::cli {

struct JobSettings {
    std::optional<std::string> folder, album, to, from, log_file;
    std::optional<std::size_t> jobs;
    std::optional<double> settle;        // photosync watch: seconds a file must be quiet
    std::optional<std::string> bwlimit;  // checked with engine::parse_bandwidth when read
    std::optional<std::vector<std::string>> include, exclude;
    std::optional<std::string> move_to;       // after upload: move files under this folder
    std::optional<bool> delete_after_upload;  // after upload: delete files seen in the album
};

struct Config {
    std::filesystem::path file;  // empty when none was read
    JobSettings defaults;
    std::map<std::string, JobSettings> jobs;
    std::map<std::string, std::map<std::string, std::string>> plugin_options;  // by plugin name
};

// $XDG_CONFIG_HOME/photosync/config.toml, else ~/.config/photosync/config.toml.
[[nodiscard]] std::filesystem::path default_config_path();

// Reads `file`. A missing default file is an empty config; a missing file
// named with --config is an error.
sdk::Result<Config> load_config(const std::filesystem::path& file, bool must_exist);

// The TOML text of a config file; `file` names it in messages (and in
// Config::file). What load_config does once it has the text, without I/O.
sdk::Result<Config> parse_config(std::string_view text, const std::filesystem::path& file);

}  // namespace photosync::cli
