#pragma once
// Command-line flags → Config (CLI11).

#include <optional>
#include <string>

#include "config.hpp"

namespace gpe {

// Returns the config, or an exit code when parsing ended the run (--help, errors).
struct CliResult {
    std::optional<Config> config;
    int exit_code = 0;
};

CliResult parse_command_line(int argc, char** argv);

}  // namespace gpe
