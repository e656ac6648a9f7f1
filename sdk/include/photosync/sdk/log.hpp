// The engine's log, as plugins see it. The engine routes it to its logger
// (level filtering, redaction, files); plugins stay free of logging libraries.
#pragma once

#include <cstdint>
#include <string_view>

namespace photosync::sdk {

enum class LogLevel : std::uint8_t { debug, info, warn, error };

class LogSink {
  public:
    virtual ~LogSink() = default;
    virtual void write(LogLevel level, std::string_view message) noexcept = 0;
    [[nodiscard]] virtual bool enabled(LogLevel level) const noexcept = 0;

    void debug(std::string_view m) noexcept { write(LogLevel::debug, m); }
    void info(std::string_view m) noexcept { write(LogLevel::info, m); }
    void warn(std::string_view m) noexcept { write(LogLevel::warn, m); }
    void error(std::string_view m) noexcept { write(LogLevel::error, m); }
};

}  // namespace photosync::sdk
