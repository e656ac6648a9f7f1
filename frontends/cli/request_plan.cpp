#include "request_plan.hpp"

#include <algorithm>
#include <charconv>

namespace photosync::cli {

std::uint64_t large_files_at_most(std::uint64_t files, std::uint64_t bytes,
                                  std::uint64_t resumable_threshold) {
    return resumable_threshold == 0 ? files : std::min(files, bytes / resumable_threshold);
}

RequestPlan plan_requests(std::uint64_t files, std::uint64_t large_files, std::uint64_t per_day) {
    RequestPlan plan;
    plan.files = files;
    plan.per_day = per_day;
    if (files == 0) {
        return plan;
    }
    const std::uint64_t large = std::min(files, large_files);
    const std::uint64_t batches = (files + kPlanBatchSize - 1) / kPlanBatchSize;
    plan.requests = files + large + batches + kPlanFixedCalls;
    plan.days = per_day == 0 ? 0 : (plan.requests + per_day - 1) / per_day;
    return plan;
}

std::string with_thousands(std::uint64_t n) {
    auto digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

std::string plan_line(const RequestPlan& plan) {
    std::string line = with_thousands(plan.files) + (plan.files == 1 ? " file" : " files") +
                       " to upload ≈ " + with_thousands(plan.requests) + " requests";
    if (plan.per_day > 0) {
        line += " ≈ " + with_thousands(plan.days) + (plan.days == 1 ? " day" : " days") + " at " +
                with_thousands(plan.per_day) + " requests/day";
    }
    return line;
}

std::optional<PlanSettings> plan_settings(
    std::string_view plugin, const std::map<std::string, std::string, std::less<>>& options) {
    if (plugin != "gphotos") {
        return std::nullopt;
    }
    PlanSettings settings;
    // A malformed value keeps the default here: the plugin refuses it with a clear line.
    for (auto [key, field] : {std::pair{"max_requests_per_day", &settings.per_day},
                              std::pair{"resumable_threshold", &settings.resumable_threshold}}) {
        if (auto it = options.find(key); it != options.end() && !it->second.empty()) {
            std::uint64_t value = 0;
            const auto& text = it->second;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec == std::errc{} && end == text.data() + text.size()) {
                *field = value;
            }
        }
    }
    return settings;
}

bool plan_worth_saying(const RequestPlan& plan, bool verbose) {
    if (plan.files == 0) {
        return false;
    }
    return verbose || (plan.per_day > 0 && plan.requests > plan.per_day / 2);
}

}  // namespace photosync::cli
