// Running the photosync CLI in tests with its own HOME and state dir.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "one_line.hpp"
#include "process.hpp"

namespace photosync::test {

inline ProcessResult photosync_cli(const std::vector<std::string>& args,
                                   const std::filesystem::path& home, ProcessOptions options = {}) {
    options.env["HOME"] = home.string();
    if (!options.env.contains("XDG_STATE_HOME")) {
        options.env["XDG_STATE_HOME"] = (home / "state").string();
    }
    options.env["PHOTOSYNC_PLUGIN_PATH"] = "";
    return run_process(PHOTOSYNC_TEST_CLI, args, options);
}

}  // namespace photosync::test
