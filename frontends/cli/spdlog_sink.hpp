// Routes the engine's and plugins' log lines to spdlog (stderr, optional file).
#pragma once

#include <spdlog/logger.h>

#include <memory>

#include "photosync/sdk/log.hpp"

namespace photosync::cli {

class SpdlogSink final : public sdk::LogSink {
  public:
    explicit SpdlogSink(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
    void write(sdk::LogLevel level, std::string_view message) noexcept override;
    [[nodiscard]] bool enabled(sdk::LogLevel level) const noexcept override;

  private:
    std::shared_ptr<spdlog::logger> logger_;
};

// A logger writing "photosync: <level>: message" to stderr at the given verbosity
// (-1 quiet: errors only, 0 default: warnings, 1 -v: info, 2 -vv: debug), and,
// when log_file is set, everything from debug up to that file (mode 0600).
std::shared_ptr<spdlog::logger> make_logger(int verbosity, const std::string& log_file);

}  // namespace photosync::cli
