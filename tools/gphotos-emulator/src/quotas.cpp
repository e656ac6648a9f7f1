#include "quotas.hpp"

#include "errors.hpp"

namespace gpe {

namespace {
constexpr std::string_view kConsumer = "project_number:123456789012";
}

std::string daily_quota_message() {
    return "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of "
           "service 'photoslibrary.googleapis.com' for consumer '" +
           std::string(kConsumer) + "'.";
}

std::string write_quota_message() {
    return "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
           "minute per user' of service 'photoslibrary.googleapis.com' for consumer '" +
           std::string(kConsumer) + "'.";
}

std::string concurrent_write_message() {
    return "Quota exceeded for quota 'concurrent write request' of service "
           "'photoslibrary.googleapis.com' for consumer '" +
           std::string(kConsumer) + "'.";
}

WriteSlot& WriteSlot::operator=(WriteSlot&& o) noexcept {
    if (this != &o) {
        release();
        q_ = std::exchange(o.q_, nullptr);
        user_ = std::move(o.user_);
    }
    return *this;
}

void WriteSlot::release() {
    if (q_)
        std::exchange(q_, nullptr)->release_slot(user_);
}

std::int64_t Quotas::pacific_day() const {
    // Daily quotas reset at midnight Pacific; fixed UTC-8 (no DST) is used.
    return (to_unix_seconds(clock_.now()) - 8 * 3600) / 86400;
}

std::int64_t Quotas::minute() const {
    return to_unix_seconds(clock_.now()) / 60;
}

std::optional<Response> Quotas::admit(const std::string& user, bool is_write) {
    std::lock_guard lock(mu_);
    const auto day = pacific_day();
    if (day != day_) {
        day_ = day;
        day_count_ = 0;
    }
    if (limits_.requests_per_day > 0 && day_count_ >= limits_.requests_per_day) {
        ++rejected_day_;
        return google_error(429, daily_quota_message(), "RESOURCE_EXHAUSTED", "rateLimitExceeded");
    }
    if (is_write && limits_.writes_per_minute > 0) {
        auto& [m, n] = writes_[user];
        if (m != minute()) {
            m = minute();
            n = 0;
        }
        if (n >= limits_.writes_per_minute) {
            ++rejected_minute_;
            return google_error(429, write_quota_message(), "RESOURCE_EXHAUSTED",
                                "rateLimitExceeded");
        }
        ++n;
    }
    ++day_count_;
    return std::nullopt;
}

std::optional<Response> Quotas::acquire_write_slot(const std::string& user, WriteSlot& slot) {
    std::lock_guard lock(mu_);
    int& n = in_flight_[user];
    if (limits_.concurrent_writes && n > 0) {
        ++rejected_concurrent_;
        return google_error(429, concurrent_write_message(), "RESOURCE_EXHAUSTED",
                            "rateLimitExceeded");
    }
    ++n;
    slot = WriteSlot(this, user);
    return std::nullopt;
}

void Quotas::release_slot(const std::string& user) {
    std::lock_guard lock(mu_);
    if (auto it = in_flight_.find(user); it != in_flight_.end() && --it->second <= 0)
        in_flight_.erase(it);
}

void Quotas::set_limits(const QuotaLimits& l) {
    std::lock_guard lock(mu_);
    limits_ = l;
}

QuotaLimits Quotas::limits() const {
    std::lock_guard lock(mu_);
    return limits_;
}

nlohmann::json Quotas::dump() const {
    std::lock_guard lock(mu_);
    return {{"requests_per_day", limits_.requests_per_day},
            {"writes_per_minute", limits_.writes_per_minute},
            {"concurrent_writes", limits_.concurrent_writes},
            {"requests_today", day_ == pacific_day() ? day_count_ : 0},
            {"rejected_daily", rejected_day_},
            {"rejected_writes_per_minute", rejected_minute_},
            {"rejected_concurrent", rejected_concurrent_}};
}

void Quotas::reset_counters() {
    std::lock_guard lock(mu_);
    day_count_ = 0;
    writes_.clear();
    rejected_day_ = rejected_minute_ = rejected_concurrent_ = 0;
}

}  // namespace gpe
