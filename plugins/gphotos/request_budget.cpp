#include "request_budget.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "api_errors.hpp"
#include "photosync/sdk/posix_error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;
using json = nlohmann::json;

std::int64_t quota_day(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    return floor<days>(t - hours(8)).time_since_epoch().count();
}

std::string quota_day_text(std::int64_t day) {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{days{day}}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

BudgetRecord parse_budget_record(const std::string& text) {
    auto doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return {};
    }
    auto day = doc.find("day_number");
    auto requests = doc.find("requests");
    if (day == doc.end() || !day->is_number_integer() || requests == doc.end() ||
        !requests->is_number_unsigned()) {
        return {};
    }
    return BudgetRecord{day->get<std::int64_t>(), requests->get<std::uint64_t>()};
}

std::string budget_record_text(const BudgetRecord& record) {
    // "day" is for people reading the file; "day_number" is what counts.
    return json{{"day", quota_day_text(record.day)},
                {"day_number", record.day},
                {"requests", record.requests}}
               .dump() +
           "\n";
}

RequestBudget::RequestBudget(std::filesystem::path file, std::uint64_t limit,
                             std::chrono::seconds clock_offset)
    : file_(std::move(file)), limit_(limit), clock_offset_(clock_offset) {}

RequestBudget::~RequestBudget() {
    if (reserved_ > 0) {
        locked_give_back(reserved_, reserved_day_);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

std::uint64_t RequestBudget::block() const noexcept {
    return std::clamp<std::uint64_t>(limit_ / 100, 1, 16);
}

std::chrono::system_clock::time_point RequestBudget::now() const {
    return std::chrono::system_clock::now() + clock_offset_;
}

sdk::Result<void> RequestBudget::open_file() {
    if (fd_ >= 0) {
        return {};
    }
    std::error_code ec;
    std::filesystem::create_directories(file_.parent_path(), ec);
    fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        return std::unexpected(sdk::errno_error(
            "open the daily request count " + sdk::display_path(file_.string()), errno));
    }
    return {};
}

template <class F>
sdk::Result<void> RequestBudget::locked_update(F&& update) {
    if (auto opened = open_file(); !opened) {
        return std::unexpected(opened.error());
    }
    // Held for a read and a write of a few bytes: other processes wait microseconds.
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            return std::unexpected(sdk::errno_error(
                "lock the daily request count " + sdk::display_path(file_.string()), errno));
        }
    }
    struct Unlock {
        int fd;
        ~Unlock() { ::flock(fd, LOCK_UN); }
    } unlock{fd_};
    std::string text(256, '\0');
    auto n = ::pread(fd_, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    auto record = parse_budget_record(text);
    if (!update(record)) {
        return {};
    }
    auto out = budget_record_text(record);
    if (::pwrite(fd_, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size()) ||
        ::ftruncate(fd_, static_cast<off_t>(out.size())) != 0) {
        return std::unexpected(sdk::errno_error(
            "write the daily request count " + sdk::display_path(file_.string()), errno));
    }
    return {};
}

sdk::Result<std::uint64_t> RequestBudget::locked_reserve(std::uint64_t want, std::int64_t today) {
    std::uint64_t got = 0;
    auto r = locked_update([&](BudgetRecord& record) {
        if (record.day != today) {
            record = BudgetRecord{today, 0};
        }
        got = record.requests >= limit_ ? 0 : std::min(want, limit_ - record.requests);
        record.requests += got;
        return got > 0;
    });
    if (!r) {
        return std::unexpected(r.error());
    }
    return got;
}

void RequestBudget::locked_give_back(std::uint64_t n, std::int64_t day) noexcept {
    try {
        (void)locked_update([&](BudgetRecord& record) {
            if (record.day != day) {
                return false;  // a new day has begun: yesterday's count no longer matters
            }
            record.requests -= std::min(n, record.requests);
            return true;
        });
    } catch (...) {
        // Left counted: the budget ends a few requests early today, nothing worse.
    }
}

sdk::Result<void> RequestBudget::take() {
    if (limit_ == 0) {
        return {};
    }
    std::lock_guard lock(mutex_);
    const auto today = quota_day(now());
    if (reserved_ > 0 && reserved_day_ == today) {
        --reserved_;
        return {};
    }
    // Requests reserved on another day were counted on that day: not spent today.
    reserved_ = 0;
    auto taken = locked_reserve(block(), today);
    if (!taken) {
        return std::unexpected(taken.error());
    }
    reserved_day_ = today;
    reserved_ = *taken > 0 ? *taken - 1 : 0;
    if (*taken == 0) {
        return sdk::fail(ErrorKind::quota_exhausted,
                         "today's budget of " + std::to_string(limit_) +
                             " Google Photos requests (--max-requests-per-day) is used up; "
                             "nothing is lost: run the same command again after the reset (" +
                             quota_reset_hint(now()) + ")");
    }
    return {};
}

}  // namespace photosync::gphotos
