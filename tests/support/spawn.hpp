// Starting a program under test, without a shell: the one place the test
// helpers (process.hpp, child_process.hpp, emulator_process.hpp) build an
// argv and an environment and call posix_spawn.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace photosync::test {

struct SpawnOptions {
    std::map<std::string, std::string> env;  // added to / overriding the environment
    int stdout_fd = -1;                      // dup'ed onto stdout (-1: see output_file)
    int stderr_fd = -1;                      // dup'ed onto stderr (-1: stdout's)
    std::filesystem::path output_file;       // with no fds: stdout and stderr go here
    bool own_process_group = false;          // signals to the group reach its children
};

// Starts `program` with `args` (stdin from /dev/null); throws when it cannot.
pid_t spawn(const std::filesystem::path& program, const std::vector<std::string>& args,
            const SpawnOptions& options);

// argv for `program`: its path, then `args`.
std::vector<std::string> command_line(const std::filesystem::path& program,
                                      const std::vector<std::string>& args);

// A waitpid status as an exit code: 128+N when killed by signal N.
int exit_code_of(int wait_status);

// This process's environment with `env` added or overriding, as NAME=value.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& env);

// Pointers into `strings`, ending with nullptr, as execve and posix_spawn take them.
std::vector<char*> c_strings(std::vector<std::string>& strings);

}  // namespace photosync::test
