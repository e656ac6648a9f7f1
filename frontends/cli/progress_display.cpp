#include "progress_display.hpp"

#include <cstdint>

#include "photosync/sdk/types.hpp"

namespace photosync::cli {

namespace {

constexpr int kBarWidth = 24;
constexpr std::size_t kFailuresShown = 20;

std::string format_duration(double seconds) {
    auto s = static_cast<std::uint64_t>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) {
        std::snprintf(
            buf, sizeof buf, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
            static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
    } else {
        std::snprintf(buf, sizeof buf, "%llu:%02llu", static_cast<unsigned long long>(s / 60),
                      static_cast<unsigned long long>(s % 60));
    }
    return buf;
}

}  // namespace

std::string human_bytes(std::uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1000.0 && u < 4) {
        v /= 1000.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

ProgressDisplay::ProgressDisplay(std::FILE* out, bool terminal, bool quiet)
    : out_(out), terminal_(terminal), quiet_(quiet), start_(std::chrono::steady_clock::now()) {}

std::string ProgressDisplay::line(const engine::JobCounters& c, double seconds) const {
    std::uint64_t settled = c.files_staged + c.files_failed;
    double fraction = c.bytes_found == 0
                          ? (c.scan_complete ? 1.0 : 0.0)
                          : static_cast<double>(c.bytes_done) / static_cast<double>(c.bytes_found);
    fraction = std::min(1.0, fraction);
    double rate = seconds > 0 ? static_cast<double>(c.bytes_done) / seconds : 0.0;
    std::string s;
    if (terminal_) {
        int filled = static_cast<int>(fraction * kBarWidth);
        s += "[" + std::string(static_cast<std::size_t>(filled), '#') +
             std::string(static_cast<std::size_t>(kBarWidth - filled), '.') + "] ";
    }
    char buf[160];
    std::snprintf(buf, sizeof buf, "%3.0f%% %llu/%llu%s files  %s/%s  %s/s", fraction * 100.0,
                  static_cast<unsigned long long>(settled),
                  static_cast<unsigned long long>(c.files_found), c.scan_complete ? "" : "+",
                  human_bytes(c.bytes_done).c_str(), human_bytes(c.bytes_found).c_str(),
                  human_bytes(static_cast<std::uint64_t>(rate)).c_str());
    s += buf;
    if (c.scan_complete && rate > 0 && c.bytes_found > c.bytes_done) {
        s += "  ETA " + format_duration(static_cast<double>(c.bytes_found - c.bytes_done) / rate);
    }
    if (c.files_failed > 0) {
        s += "  " + std::to_string(c.files_failed) + " failed";
    }
    return s;
}

void ProgressDisplay::update(const engine::JobCounters& counters) {
    if (quiet_) {
        return;
    }
    auto now = std::chrono::steady_clock::now();
    auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
    if (drawn_ && now - last_draw_ < interval) {
        return;
    }
    last_draw_ = now;
    drawn_ = true;
    auto text = line(counters, std::chrono::duration<double>(now - start_).count());
    if (terminal_) {
        std::fprintf(out_, "\r\033[K%s", text.c_str());
    } else {
        std::fprintf(out_, "progress: %s\n", text.c_str());
    }
    std::fflush(out_);
}

void ProgressDisplay::finish(const engine::JobCounters& counters) {
    if (terminal_ && drawn_ && !quiet_) {
        auto secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        std::fprintf(out_, "\r\033[K%s\n", line(counters, secs).c_str());
        std::fflush(out_);
    }
}

std::string summary(const engine::JobReport& r, const std::string& album) {
    const auto& c = r.counters;
    char buf[320];
    double secs = static_cast<double>(r.elapsed.count()) / 1000.0;
    std::snprintf(
        buf, sizeof buf,
        "%s: %llu of %llu files uploaded into '%s' (%s) in %.1f s; %llu unchanged, %llu failed",
        std::string(engine::to_string(r.state)).c_str(),
        static_cast<unsigned long long>(c.files_done),
        static_cast<unsigned long long>(c.files_found), album.c_str(),
        human_bytes(c.bytes_done).c_str(), secs, static_cast<unsigned long long>(c.files_unchanged),
        static_cast<unsigned long long>(r.failures_total));
    std::string s = buf;
    if (c.files_moved > 0) {
        s += "; " + std::to_string(c.files_moved) + " moved";
    }
    if (c.files_deleted > 0) {
        s += "; " + std::to_string(c.files_deleted) + " deleted";
    }
    s += r.failures_total > 0 ? ":\n" : "\n";
    for (std::size_t i = 0; i < r.failures.size() && i < kFailuresShown; ++i) {
        s += "  " + sdk::display_path(r.failures[i].path) + ": " + r.failures[i].error.message +
             "\n";
    }
    if (r.failures_total > kFailuresShown) {
        s += "  ... and " + std::to_string(r.failures_total - kFailuresShown) + " more\n";
    }
    return s;
}

}  // namespace photosync::cli
