#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "photosync/engine/bandwidth.hpp"

namespace photosync::engine {

namespace {

constexpr std::string_view kForms =
    "expected 'off', a rate such as 512k, 2M or 1.5G (bytes per second; a bare number is "
    "KiB/s), or a schedule such as \"08:00,512k 23:00,off\"";

sdk::Result<BandwidthSchedule> bad(std::string_view text, std::string_view why = {}) {
    std::string message = "bad bandwidth limit '" + std::string(text) + "'";
    if (!why.empty()) {
        message += " (" + std::string(why) + ")";
    }
    return sdk::fail(sdk::ErrorKind::invalid_input, message + ": " + std::string(kForms));
}

bool is_off(std::string_view s) {
    return s == "off" || s == "OFF" || s == "Off";
}

// "512k" -> bytes per second (0: no limit); nullopt if malformed.
std::optional<std::uint64_t> parse_rate(std::string_view s) {
    if (s.empty()) {
        return std::nullopt;
    }
    double unit = 1024;  // bare number: KiB/s
    switch (s.back()) {
        case 'b':
        case 'B':
            unit = 1;
            s.remove_suffix(1);
            break;
        case 'k':
        case 'K':
            s.remove_suffix(1);
            break;
        case 'm':
        case 'M':
            unit = 1024.0 * 1024;
            s.remove_suffix(1);
            break;
        case 'g':
        case 'G':
            unit = 1024.0 * 1024 * 1024;
            s.remove_suffix(1);
            break;
        default:
            break;
    }
    if (s.empty() || s.front() == '-' || s.front() == '+') {
        return std::nullopt;
    }
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    double bytes = value * unit;
    if (bytes == 0) {
        return 0;  // rclone's "0": no limit
    }
    if (bytes < 1 || bytes > 1e15) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(std::llround(bytes));
}

// "08:00" -> minute of the day.
std::optional<int> parse_time(std::string_view s) {
    auto colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() - colon != 3) {
        return std::nullopt;
    }
    int h = 0, m = 0;
    auto hs = s.substr(0, colon), ms = s.substr(colon + 1);
    auto [he, hec] = std::from_chars(hs.data(), hs.data() + hs.size(), h);
    auto [me, mec] = std::from_chars(ms.data(), ms.data() + ms.size(), m);
    if (hec != std::errc() || mec != std::errc() || he != hs.data() + hs.size() ||
        me != ms.data() + ms.size() || h < 0 || h > 23 || m < 0 || m > 59) {
        return std::nullopt;
    }
    return h * 60 + m;
}

std::string rate_text(std::uint64_t bps) {
    if (bps == 0) {
        return "off";
    }
    const char* units[] = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
    double v = static_cast<double>(bps);
    int u = 0;
    while (v >= 1024 && u < 3) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, v == std::floor(v) ? "%.0f %s" : "%.2f %s", v, units[u]);
    return buf;
}

}  // namespace

bool BandwidthSchedule::unlimited() const noexcept {
    return std::ranges::all_of(rules, [](const auto& r) { return r.bytes_per_second == 0; });
}

std::uint64_t BandwidthSchedule::rate_at(int minute) const noexcept {
    if (rules.empty()) {
        return 0;
    }
    const BandwidthRule* current = &rules.back();  // before the first: wrapped from yesterday
    for (const auto& r : rules) {
        if (r.minute <= minute) {
            current = &r;
        }
    }
    return current->bytes_per_second;
}

sdk::Result<BandwidthSchedule> parse_bandwidth(std::string_view text) {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
            s.remove_prefix(1);
        }
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
            s.remove_suffix(1);
        }
        return s;
    };
    std::string_view all = trim(text);
    if (all.empty()) {
        return bad(text, "empty");
    }
    BandwidthSchedule schedule;
    if (all.find(',') == std::string_view::npos) {
        if (is_off(all)) {
            return schedule;
        }
        auto rate = parse_rate(all);
        if (!rate) {
            return bad(text);
        }
        if (*rate != 0) {
            schedule.rules.push_back({0, *rate});
        }
        return schedule;
    }
    std::string_view rest = all;
    while (!rest.empty()) {
        auto space = rest.find_first_of(" \t");
        std::string_view entry = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view{} : trim(rest.substr(space));
        auto comma = entry.find(',');
        if (comma == std::string_view::npos) {
            return bad(text, "'" + std::string(entry) + "' is not HH:MM,RATE");
        }
        auto minute = parse_time(entry.substr(0, comma));
        if (!minute) {
            return bad(text, "'" + std::string(entry.substr(0, comma)) + "' is not a time HH:MM");
        }
        auto value = entry.substr(comma + 1);
        std::optional<std::uint64_t> rate =
            is_off(value) ? std::optional<std::uint64_t>(0) : parse_rate(value);
        if (!rate) {
            return bad(text, "'" + std::string(value) + "' is not a rate");
        }
        for (const auto& r : schedule.rules) {
            if (r.minute == *minute) {
                return bad(text, std::string(entry.substr(0, comma)) + " appears twice");
            }
        }
        schedule.rules.push_back({*minute, *rate});
    }
    std::ranges::sort(schedule.rules, {}, &BandwidthRule::minute);
    return schedule;
}

std::string describe(const BandwidthSchedule& schedule) {
    if (schedule.unlimited()) {
        return "off";
    }
    if (schedule.rules.size() == 1 && schedule.rules[0].minute == 0) {
        return rate_text(schedule.rules[0].bytes_per_second);
    }
    std::string out;
    for (const auto& r : schedule.rules) {
        char t[16];
        std::snprintf(t, sizeof t, "%02d:%02d", r.minute / 60, r.minute % 60);
        out += (out.empty() ? "" : ", ") + std::string(t) + " " + rate_text(r.bytes_per_second);
    }
    return out;
}

}  // namespace photosync::engine
