// Running the photosync CLI in tests with its own HOME and state dir.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

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

// stderr holds exactly one line, and it says `what`.
inline void check_one_line(const std::string& err, const std::string& what) {
    INFO(err);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK_THAT(err, Catch::StartsWith("photosync: ") && Catch::Contains(what));
}

}  // namespace photosync::test
