#pragma once
// Injectable clock: wall time plus an offset that tests move forward through
// the control endpoint (token expiry, upload-token expiry, quota resets).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gpe {

using SysTime = std::chrono::system_clock::time_point;

class Clock {
  public:
    SysTime now() const {
        return std::chrono::system_clock::now() +
               std::chrono::milliseconds(offset_ms_.load(std::memory_order_relaxed));
    }
    void advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }
    std::int64_t offset_ms() const { return offset_ms_.load(); }
    void set_offset_ms(std::int64_t ms) { offset_ms_ = ms; }

  private:
    std::atomic<std::int64_t> offset_ms_{0};
};

// "2014-10-02T15:01:23Z" (Google's RFC 3339 with Z, no fraction when whole).
std::string to_rfc3339(SysTime t);
std::optional<SysTime> parse_rfc3339(std::string_view s);
// IMF-fixdate for the HTTP Date header.
std::string to_http_date(SysTime t);
std::int64_t to_unix_seconds(SysTime t);
SysTime from_unix_seconds(std::int64_t s);
// Calendar date (UTC) of t: year, month, day.
struct Ymd {
    int year;
    unsigned month;
    unsigned day;
};
Ymd to_ymd(SysTime t);

}  // namespace gpe
