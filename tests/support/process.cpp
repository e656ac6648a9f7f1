#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "spawn.hpp"

namespace photosync::test {

ProcessResult run_process(const std::filesystem::path& program,
                          const std::vector<std::string>& args, const ProcessOptions& options) {
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_t pid = -1;
    try {
        pid = spawn(program, args, SpawnOptions{options.env, out_pipe[1], err_pipe[1], {}, false});
    } catch (...) {
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
            ::close(fd);
        }
        throw;
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);

    ProcessResult result;
    auto start = std::chrono::steady_clock::now();
    bool interrupted = false;
    bool terminated = false;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        auto elapsed = std::chrono::steady_clock::now() - start;
        if (!options.interrupt_when_err_contains.empty() && !interrupted &&
            result.err.find(options.interrupt_when_err_contains) != std::string::npos) {
            ::kill(pid, SIGINT);
            interrupted = true;
        }
        if (options.terminate_when && !terminated && options.terminate_when(result)) {
            ::kill(pid, SIGTERM);
            terminated = true;
        }
        if ((options.kill_after.count() > 0 && elapsed >= options.kill_after) ||
            (options.kill_when && options.kill_when(result))) {
            ::kill(pid, SIGKILL);
            break;
        }
        if (elapsed >= options.timeout) {
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds, 2, 20) <= 0) {
            continue;
        }
        for (auto& f : fds) {
            if (f.fd >= 0 && (f.revents & (POLLIN | POLLHUP)) != 0) {
                auto n = ::read(f.fd, buf, sizeof buf);
                if (n <= 0) {
                    ::close(f.fd);
                    f.fd = -1;
                    --open_fds;
                } else {
                    (&f == &fds[0] ? result.out : result.err)
                        .append(buf, static_cast<std::size_t>(n));
                }
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0)
            ::close(f.fd);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = exit_code_of(status);
    return result;
}

ProcessResult run_in_terminal(const std::filesystem::path& program,
                              const std::vector<std::string>& args, const ProcessOptions& options) {
    auto env_strings = environment_with(options.env);
    auto argv_strings = command_line(program, args);
    int master = -1;
    pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0) {
        throw std::runtime_error("forkpty failed");
    }
    if (pid == 0) {
        auto argv = c_strings(argv_strings);
        auto envp = c_strings(env_strings);
        ::execve(program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ProcessResult result;
    auto start = std::chrono::steady_clock::now();
    char buf[4096];
    for (;;) {
        if (std::chrono::steady_clock::now() - start > options.timeout) {
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) {
            continue;
        }
        auto n = ::read(master, buf, sizeof buf);
        if (n <= 0) {
            break;  // EIO once the child has exited and closed the terminal
        }
        result.out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(master);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = exit_code_of(status);
    return result;
}

}  // namespace photosync::test
