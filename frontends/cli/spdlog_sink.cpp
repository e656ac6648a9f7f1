#include "spdlog_sink.hpp"

#include <fcntl.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <sys/stat.h>
#include <unistd.h>

#include "redaction.hpp"

namespace photosync::cli {

namespace {
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
        // Created 0600 before spdlog opens it: logs may name private paths.
        int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ::close(fd);
        }
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
