#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "spawn.hpp"

namespace photosync::test {

ChildProcess::ChildProcess(const std::filesystem::path& program,
                           const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    try {
        // Its own process group: signals to it (and kill at the end) reach its children too.
        pid_ = spawn(program, args, SpawnOptions{env, pipe_fds[1], pipe_fds[1], {}, true});
    } catch (...) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        throw;
    }
    ::close(pipe_fds[1]);
    out_fd_ = pipe_fds[0];
    reader_ = std::thread([this] {
        char buf[8192];
        for (;;) {
            ssize_t n = ::read(out_fd_, buf, sizeof buf);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                break;
            }
            std::lock_guard lock(mutex_);
            output_.append(buf, static_cast<std::size_t>(n));
        }
    });
}

ChildProcess::~ChildProcess() {
    if (!reaped_ && pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        (void)wait(std::chrono::seconds(10));
    }
    if (reader_.joinable()) {
        reader_.join();
    }
    if (out_fd_ >= 0) {
        ::close(out_fd_);
    }
}

bool ChildProcess::wait_for_output(const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (output().find(text) != std::string::npos) {
            return true;
        }
        if (!reaped_) {
            try_reap();
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            return output().find(text) != std::string::npos;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool ChildProcess::try_reap() {
    int status = 0;
    if (!reaped_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        exit_code_ = exit_code_of(status);
    }
    return reaped_;
}

std::string ChildProcess::output() const {
    std::lock_guard lock(mutex_);
    return output_;
}

void ChildProcess::signal(int signo) const {
    if (!reaped_) {
        ::kill(pid_, signo);
    }
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!try_reap()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Whatever the program's children still hold of the pipe.
    ::kill(-pid_, SIGKILL);
    if (reader_.joinable()) {
        reader_.join();
    }
    return exit_code_;
}

}  // namespace photosync::test
