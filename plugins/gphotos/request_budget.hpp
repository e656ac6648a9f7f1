// The daily request budget (`max_requests_per_day`): every Photos Library API
// request this plugin sends takes one request from today's count, kept in a
// small file next to the stored sign-in so that every photosync process of
// this machine (cron runs, the server, a manual run) spends from one count.
// The file is read and written under an exclusive flock(2), so two processes
// never both take the last request.
//
// A process reserves requests in blocks of a hundredth of the budget (1 to
// 16: a budget under 200 is counted request by request): one lock and file
// update per block instead of per request. What a process has not
// spent goes back to the count when it ends; a process killed outright
// leaves its unspent block counted, which can only make the day's budget end
// early, never spend a request too many.
//
// A day is a Pacific day (UTC-8), like Google's daily quota (see
// quota_reset_hint and the emulator): the count starts again at midnight.
// Fixed UTC-8 rather than the zone's daylight saving time: in summer the
// budget resets at 01:00 PDT, an hour after Google, which can only make it
// stop early, never spend a request Google counts against a used-up day.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

// Days since 1970-01-01 in UTC-8 (the quota's day).
[[nodiscard]] std::int64_t quota_day(std::chrono::system_clock::time_point t);

// "2026-11-24": the quota day as written in the file.
[[nodiscard]] std::string quota_day_text(std::int64_t day);

// The count of one day as kept in the file; a count of another day is zero.
struct BudgetRecord {
    std::int64_t day = 0;
    std::uint64_t requests = 0;
};

// Parses the file's text; anything unreadable is an empty record (the
// budget is a courtesy limit: a damaged file must not stop uploads forever).
[[nodiscard]] BudgetRecord parse_budget_record(const std::string& text);
[[nodiscard]] std::string budget_record_text(const BudgetRecord& record);

class RequestBudget {
  public:
    // limit 0: no budget (nothing counted). clock_offset moves the budget's
    // clock (tests: the emulator's clock is moved the same way).
    RequestBudget(std::filesystem::path file, std::uint64_t limit,
                  std::chrono::seconds clock_offset);
    ~RequestBudget();
    RequestBudget(const RequestBudget&) = delete;
    RequestBudget& operator=(const RequestBudget&) = delete;

    // Takes one request of today's budget. Errors: quota_exhausted (used
    // up: one line naming the budget and when it resets), io (the file).
    sdk::Result<void> take();

    // Requests reserved at once: limit/100, 1 to 16.
    [[nodiscard]] std::uint64_t block() const noexcept;

    [[nodiscard]] std::uint64_t limit() const noexcept { return limit_; }
    [[nodiscard]] std::chrono::system_clock::time_point now() const;

  private:
    sdk::Result<void> open_file();
    // Under the flock: adds up to `want` to the count of `today`, as far as
    // there is room; returns how many were added (0: used up).
    sdk::Result<std::uint64_t> locked_reserve(std::uint64_t want, std::int64_t today);
    // Under the flock: gives `n` unspent requests of `day` back (on the way out).
    void locked_give_back(std::uint64_t n, std::int64_t day) noexcept;
    // Calls `update` on the day's record under the flock, and writes it if it says so.
    template <class F>
    sdk::Result<void> locked_update(F&& update);

    std::filesystem::path file_;
    std::uint64_t limit_;
    std::chrono::seconds clock_offset_;
    std::mutex mutex_;  // flock does not exclude threads sharing one descriptor
    int fd_ = -1;
    std::uint64_t reserved_ = 0;  // taken from the file, not yet spent
    std::int64_t reserved_day_ = 0;
};

}  // namespace photosync::gphotos
