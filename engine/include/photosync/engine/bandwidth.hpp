// Bandwidth limits: a rate ("2M") or a schedule by time of day
// ("08:00,512k 23:00,off"), as rclone's --bwlimit writes them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "photosync/sdk/error.hpp"

namespace photosync::engine {

struct BandwidthRule {
    int minute = 0;                      // minute of the day it starts at, local time (0-1439)
    std::uint64_t bytes_per_second = 0;  // 0: no limit
};

// Rules sorted by minute. Empty: no limit. A single rule at minute 0 is a
// plain rate. The latest rule at or before the time of day applies; before
// the first one, the last one (the schedule wraps round midnight).
struct BandwidthSchedule {
    std::vector<BandwidthRule> rules;

    [[nodiscard]] bool unlimited() const noexcept;
    // Bytes per second at `minute` of the day; 0: no limit.
    [[nodiscard]] std::uint64_t rate_at(int minute) const noexcept;
};

// Parses "off", a rate ("2M", "512k", "1.5M", "100000B"; k/M/G are 1024,
// 1024², 1024³ bytes per second and a bare number is KiB/s, as rclone), or a
// schedule of space-separated "HH:MM,RATE" entries where RATE may be "off".
// Errors: invalid_input, one line naming the value and the accepted forms.
sdk::Result<BandwidthSchedule> parse_bandwidth(std::string_view text);

// "2 MiB/s", "off", "08:00 512 KiB/s, 23:00 off": for messages and logs.
[[nodiscard]] std::string describe(const BandwidthSchedule& schedule);

}  // namespace photosync::engine
