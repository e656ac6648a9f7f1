#include "stderr_log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace photosync::engine {

namespace {

class StderrLog final : public sdk::LogSink {
  public:
    explicit StderrLog(sdk::LogLevel threshold) : threshold_(threshold) {}

    void write(sdk::LogLevel level, std::string_view message) noexcept override {
        if (!enabled(level)) {
            return;
        }
        static constexpr const char* names[] = {"debug", "info", "warning", "error"};
        std::lock_guard lock(mutex_);
        std::fprintf(stderr, "photosync: %s: %.*s\n", names[static_cast<int>(level)],
                     static_cast<int>(message.size()), message.data());
    }
    bool enabled(sdk::LogLevel level) const noexcept override { return level >= threshold_; }

  private:
    sdk::LogLevel threshold_;
    std::mutex mutex_;
};

}  // namespace

std::shared_ptr<sdk::LogSink> make_stderr_log(sdk::LogLevel threshold) {
    return std::make_shared<StderrLog>(threshold);
}

}  // namespace photosync::engine
