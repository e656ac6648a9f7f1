#include "spdlog_sink.hpp"

#include <spdlog/sinks/stdout_sinks.h>

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
    try {
        logger_->log(to_spdlog(level), "{}", message);
    } catch (...) {
        // Logging must never take the program down.
    }
}

bool SpdlogSink::enabled(sdk::LogLevel level) const noexcept {
    return logger_->should_log(to_spdlog(level));
}

std::shared_ptr<spdlog::logger> make_stderr_logger(int verbosity) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("photosync", std::move(sink));
    logger->set_pattern("photosync: %l: %v");
    logger->set_level(verbosity < 0    ? spdlog::level::err
                      : verbosity == 0 ? spdlog::level::warn
                      : verbosity == 1 ? spdlog::level::info
                                       : spdlog::level::debug);
    return logger;
}

}  // namespace photosync::cli
