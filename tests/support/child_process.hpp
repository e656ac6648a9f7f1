// A long-running program under test (photosync serve, Chromium): started
// without a shell, its output collected in the background, stopped by
// signal; killed at scope exit if still running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace photosync::test {

class ChildProcess {
  public:
    ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Waits until stdout+stderr contain `text` (true) or `timeout` passes or the program ends.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
    [[nodiscard]] std::string output() const;  // stdout and stderr, interleaved
    void signal(int signo) const;
    // The exit code (128+N when killed by signal N), or -1 if it did not end in time.
    int wait(std::chrono::milliseconds timeout);
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  private:
    bool try_reap();  // true once the program has ended and its code is kept

    pid_t pid_ = -1;
    int out_fd_ = -1;
    int exit_code_ = -1;
    bool reaped_ = false;
    mutable std::mutex mutex_;
    std::string output_;
    std::thread reader_;
};

}  // namespace photosync::test
