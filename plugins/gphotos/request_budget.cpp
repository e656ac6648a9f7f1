#include "request_budget.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

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
    if (fd_ >= 0) {
        ::close(fd_);
    }
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

sdk::Result<bool> RequestBudget::locked_take() {
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
    const auto today = quota_day(now());
    if (record.day != today) {
        record = BudgetRecord{today, 0};
    }
    if (record.requests >= limit_) {
        return false;
    }
    ++record.requests;
    auto out = budget_record_text(record);
    if (::pwrite(fd_, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size()) ||
        ::ftruncate(fd_, static_cast<off_t>(out.size())) != 0) {
        return std::unexpected(sdk::errno_error(
            "write the daily request count " + sdk::display_path(file_.string()), errno));
    }
    return true;
}

sdk::Result<void> RequestBudget::take() {
    if (limit_ == 0) {
        return {};
    }
    std::lock_guard lock(mutex_);
    auto taken = locked_take();
    if (!taken) {
        return std::unexpected(taken.error());
    }
    if (!*taken) {
        return sdk::fail(ErrorKind::quota_exhausted,
                         "today's budget of " + std::to_string(limit_) +
                             " Google Photos requests (--max-requests-per-day) is used up; "
                             "nothing is lost: run the same command again after the reset (" +
                             quota_reset_hint(now()) + ")");
    }
    return {};
}

}  // namespace photosync::gphotos
