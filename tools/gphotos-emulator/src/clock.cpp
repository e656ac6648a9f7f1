#include "clock.hpp"

#include <cstdio>
#include <ctime>

namespace gpe {

namespace {
std::tm utc_tm(SysTime t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return tm;
}
}  // namespace

std::string to_rfc3339(SysTime t) {
    const std::tm tm = utc_tm(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::optional<SysTime> parse_rfc3339(std::string_view s) {
    // Accepts YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM).
    int y, mo, d, h, mi, sec;
    std::string str(s);
    int consumed = 0;
    if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
                    &consumed) != 6)
        return std::nullopt;
    std::size_t i = static_cast<std::size_t>(consumed);
    if (i < str.size() && str[i] == '.') {
        ++i;
        while (i < str.size() && str[i] >= '0' && str[i] <= '9')
            ++i;
    }
    long off = 0;
    if (i < str.size() && (str[i] == 'Z' || str[i] == 'z')) {
        ++i;
    } else if (i < str.size() && (str[i] == '+' || str[i] == '-')) {
        int oh, om;
        if (std::sscanf(str.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2)
            return std::nullopt;
        off = (oh * 3600L + om * 60L) * (str[i] == '+' ? 1 : -1);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != str.size())
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    const std::time_t tt = timegm(&tm);
    return std::chrono::system_clock::from_time_t(tt - off);
}

std::string to_http_date(SysTime t) {
    const std::tm tm = utc_tm(t);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

std::int64_t to_unix_seconds(SysTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

SysTime from_unix_seconds(std::int64_t s) {
    return SysTime{} + std::chrono::seconds(s);
}

Ymd to_ymd(SysTime t) {
    const std::tm tm = utc_tm(t);
    return {tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
            static_cast<unsigned>(tm.tm_mday)};
}

}  // namespace gpe
