#include "logger.hpp"

#include <chrono>
#include <cstdio>

namespace gpe {

LogLevel parse_log_level(std::string_view s) {
    if (s == "debug")
        return LogLevel::debug;
    if (s == "warn")
        return LogLevel::warn;
    if (s == "error")
        return LogLevel::error;
    if (s == "off")
        return LogLevel::off;
    return LogLevel::info;
}

void Logger::log(LogLevel l, std::string_view msg) {
    if (!enabled(l))
        return;
    static constexpr const char* names[] = {"debug", "info", "warn", "error", "off"};
    const auto now = std::chrono::system_clock::now();
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    std::lock_guard lock(mu_);
    std::fprintf(stderr, "[emulator %lld.%03lld %s] %.*s\n", static_cast<long long>(ms / 1000),
                 static_cast<long long>(ms % 1000), names[static_cast<int>(l)],
                 static_cast<int>(msg.size()), msg.data());
}

}  // namespace gpe
