#include "spdlog_sink.hpp"

#include <fcntl.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "redaction.hpp"

namespace photosync::cli {

namespace {

// The log file exists, mode 0600, before spdlog opens it: logs name private
// paths. Folders it lacks are made 0700 (spdlog would make them, and the
// file, with the umask's modes); an existing file open to others is tightened.
void prepare_private_file(const std::filesystem::path& file) {
    std::vector<std::filesystem::path> missing;
    std::error_code ec;
    for (auto dir = file.parent_path(); !dir.empty() && !std::filesystem::exists(dir, ec);
         dir = dir.parent_path()) {
        missing.push_back(dir);
        if (dir == dir.parent_path()) {
            break;
        }
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        (void)::mkdir(it->c_str(), 0700);
    }
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;  // spdlog then fails to open it, and says so
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) {
        (void)::fchmod(fd, 0600);
    }
    ::close(fd);
}

spdlog::level::level_enum to_spdlog(sdk::LogLevel level) {
    switch (level) {
        case sdk::LogLevel::debug:
            return spdlog::level::debug;
        case sdk::LogLevel::info:
            return spdlog::level::info;
        case sdk::LogLevel::warn:
            return spdlog::level::warn;
        case sdk::LogLevel::error:
            return spdlog::level::err;
    }
    return spdlog::level::err;
}
}  // namespace

void SpdlogSink::write(sdk::LogLevel level, std::string_view message) noexcept {
    if (!logger_->should_log(to_spdlog(level))) {
        return;  // cheap exit before redaction
    }
    try {
        // Plugins never log secrets; redaction is the second line of defence.
        logger_->log(to_spdlog(level), "{}", redact(message));
    } catch (...) {
        // Logging must never take the program down.
    }
}

bool SpdlogSink::enabled(sdk::LogLevel level) const noexcept {
    return logger_->should_log(to_spdlog(level));
}

std::shared_ptr<spdlog::logger> make_logger(int verbosity, const std::string& log_file) {
    auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    console->set_pattern("photosync: %l: %v");
    console->set_level(verbosity < 0    ? spdlog::level::err
                       : verbosity == 0 ? spdlog::level::warn
                       : verbosity == 1 ? spdlog::level::info
                                        : spdlog::level::debug);
    std::vector<spdlog::sink_ptr> sinks{console};
    if (!log_file.empty()) {
        prepare_private_file(log_file);
        try {
            auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file);
            file->set_pattern("%Y-%m-%d %H:%M:%S.%e %l [%t] %v");
            file->set_level(spdlog::level::debug);
            sinks.push_back(std::move(file));
        } catch (const spdlog::spdlog_ex& e) {
            console->log(
                spdlog::details::log_msg("photosync", spdlog::level::warn,
                                         std::string("cannot write log file ") + log_file));
        }
    }
    auto logger = std::make_shared<spdlog::logger>("photosync", sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::info);
    return logger;
}

}  // namespace photosync::cli
