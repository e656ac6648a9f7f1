#pragma once
// Minimal thread-safe stderr logger; one instance is owned by the App.

#include <mutex>
#include <string>
#include <string_view>

namespace gpe {

enum class LogLevel { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

LogLevel parse_log_level(std::string_view s);

class Logger {
  public:
    explicit Logger(LogLevel level = LogLevel::info) : level_(level) {}
    bool enabled(LogLevel l) const { return l >= level_; }
    void log(LogLevel l, std::string_view msg);
    void debug(std::string_view m) { log(LogLevel::debug, m); }
    void info(std::string_view m) { log(LogLevel::info, m); }
    void warn(std::string_view m) { log(LogLevel::warn, m); }
    void error(std::string_view m) { log(LogLevel::error, m); }

  private:
    LogLevel level_;
    std::mutex mu_;
};

}  // namespace gpe
