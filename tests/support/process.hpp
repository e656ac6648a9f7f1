// Runs a program as a subprocess (no shell) and captures what it printed.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace photosync::test {

struct ProcessResult {
    int exit_code = -1;  // 128+N when killed by signal N
    std::string out;
    std::string err;
};

struct ProcessOptions {
    std::map<std::string, std::string> env;  // added to / overriding the environment
    std::chrono::milliseconds timeout{120000};
    // Send SIGKILL this long after start (0: never): a crash at a random point.
    std::chrono::milliseconds kill_after{0};
    // Send SIGINT once stderr contains this text (empty: never).
    std::string interrupt_when_err_contains;
    // Asked about every 20 ms while the program runs; SIGKILL once it says
    // true: a crash at a chosen point (say, once a server has seen a request).
    std::function<bool(const ProcessResult& so_far)> kill_when;
    // Asked the same way; SIGTERM (once) when it says true: a clean stop, as
    // systemd asks a long-running command (photosync watch) to end.
    std::function<bool(const ProcessResult& so_far)> terminate_when;
};

ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& args, const ProcessOptions& options = {});

// Runs a program on a pseudo-terminal (as a person at a terminal would) and
// returns everything it wrote to it, in `out`.
ProcessResult run_in_terminal(const std::filesystem::path& program,
                              const std::vector<std::string>& args,
                              const ProcessOptions& options = {});

}  // namespace photosync::test
