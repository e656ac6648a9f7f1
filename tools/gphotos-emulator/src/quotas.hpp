#pragma once
// Requests per day (per project), writes per minute per user, and the
// "concurrent write request" limit on overlapping batchCreate calls.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "clock.hpp"
#include "http_types.hpp"

namespace gpe {

class Quotas;

// Marks one batchCreate in flight for a user until destroyed.
class WriteSlot {
  public:
    WriteSlot() = default;
    WriteSlot(Quotas* q, std::string user) : q_(q), user_(std::move(user)) {}
    WriteSlot(WriteSlot&& o) noexcept
        : q_(std::exchange(o.q_, nullptr)), user_(std::move(o.user_)) {}
    WriteSlot& operator=(WriteSlot&& o) noexcept;
    WriteSlot(const WriteSlot&) = delete;
    WriteSlot& operator=(const WriteSlot&) = delete;
    ~WriteSlot() { release(); }
    void release();

  private:
    Quotas* q_ = nullptr;
    std::string user_;
};

struct QuotaLimits {
    std::uint64_t requests_per_day = 0;   // 0 = unlimited
    std::uint64_t writes_per_minute = 0;  // 0 = unlimited
    bool concurrent_writes = true;
};

class Quotas {
  public:
    Quotas(Clock& clock, QuotaLimits limits) : clock_(clock), limits_(limits) {}

    // Counts one API request; returns the 429 reply when over a limit.
    std::optional<Response> admit(const std::string& user, bool is_write);
    // For batchCreate: takes the user's write slot or returns the 429 reply.
    std::optional<Response> acquire_write_slot(const std::string& user, WriteSlot& slot);

    void set_limits(const QuotaLimits& l);
    QuotaLimits limits() const;
    nlohmann::json dump() const;
    void reset_counters();

  private:
    friend class WriteSlot;
    void release_slot(const std::string& user);
    std::int64_t pacific_day() const;
    std::int64_t minute() const;

    Clock& clock_;
    mutable std::mutex mu_;
    QuotaLimits limits_;
    std::int64_t day_ = -1;
    std::uint64_t day_count_ = 0;
    std::map<std::string, std::pair<std::int64_t, std::uint64_t>> writes_;  // user → (minute, n)
    std::map<std::string, int> in_flight_;
    std::uint64_t rejected_day_ = 0, rejected_minute_ = 0, rejected_concurrent_ = 0;
};

std::string daily_quota_message();
std::string write_quota_message();
std::string concurrent_write_message();

}  // namespace gpe
