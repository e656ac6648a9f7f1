// Wakes coroutines waiting on one strand for "something changed". Waiters
// always re-check their condition: wake-ups may be spurious, never lost, as
// long as check-then-wait happens without suspending in between (true on a
// strand).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "photosync/sdk/asio.hpp"

namespace photosync::engine {

class Notifier {
  public:
    explicit Notifier(const boost::asio::any_io_executor& executor) : timer_(executor) {
        // Set once: re-arming would cancel the other waiters and make them spin.
        timer_.expires_at(boost::asio::steady_timer::time_point::max());
    }

    sdk::awaitable<void> wait() { (void)co_await timer_.async_wait(sdk::use_tuple); }
    void notify_all() { timer_.cancel(); }

  private:
    boost::asio::steady_timer timer_;
};

}  // namespace photosync::engine
