// The server's event log: every job event, in order, numbered, in a bounded
// ring. Event streams read from it at their own pace (and resume after a
// reconnect with Last-Event-ID); one that falls behind the ring is told to
// resynchronise. Publishing never blocks: it is called on engine threads.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace photosync::server {

struct ServerEvent {
    std::uint64_t seq = 0;
    std::string type;   // the SSE event name
    std::string data;   // one line of JSON
    bool item = false;  // a per-item event (streams may skip those)
};

// A stream's wake-up: its timer is cancelled when something is published.
class EventWaiter {
  public:
    explicit EventWaiter(const boost::asio::any_io_executor& strand) : timer(strand) {}
    boost::asio::steady_timer timer;  // used only on the stream's strand
    std::atomic<bool> wake_pending{false};
};

class EventHub {
  public:
    explicit EventHub(std::size_t capacity = 4096) : capacity_(capacity) {}

    void publish(std::string type, std::string data, bool item = false);

    struct Batch {
        std::vector<ServerEvent> events;
        bool gap = false;  // events after `after` were dropped from the ring
        std::uint64_t last_seq = 0;
    };
    // Events numbered above `after`, at most `max`.
    [[nodiscard]] Batch since(std::uint64_t after, std::size_t max) const;
    [[nodiscard]] std::uint64_t last_seq() const;

    void subscribe(const std::shared_ptr<EventWaiter>& waiter);
    void unsubscribe(const std::shared_ptr<EventWaiter>& waiter);
    // Wakes every stream (shutdown).
    void wake_all();

  private:
    void wake(const std::shared_ptr<EventWaiter>& w);

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<ServerEvent> ring_;
    std::uint64_t next_seq_ = 1;
    std::vector<std::weak_ptr<EventWaiter>> waiters_;
};

}  // namespace photosync::server
