// Events that come before their job is announced wait here, in order; once
// the job is announced each goes out at once. Delivery happens under the
// lock, so events from several threads go out in the order they came, and
// none overtakes the held ones. Used by both observers of a server job
// (job_event_relay.hpp, watch_event_relay.hpp): an engine job or a folder
// watch starts, and may report, before the server has announced it.
#pragma once

#include <mutex>
#include <utility>
#include <vector>

namespace photosync::server {

template <class Event>
class HeldEvents {
  public:
    // Delivers `event` now if the job was announced, else holds it.
    // Returns whether it was delivered.
    template <class Deliver>
    bool offer(Event event, Deliver&& deliver) {
        std::lock_guard lock(mutex_);
        if (!announced_) {
            held_.push_back(std::move(event));
            return false;
        }
        deliver(event);
        return true;
    }

    // Runs `announce`, then delivers what was held; later events go out as
    // they come.
    template <class Announce, class Deliver>
    void announce(Announce&& announce, Deliver&& deliver) {
        std::lock_guard lock(mutex_);
        announced_ = true;
        announce();
        for (const auto& event : held_) {
            deliver(event);
        }
        held_.clear();
    }

  private:
    std::mutex mutex_;
    bool announced_ = false;
    std::vector<Event> held_;
};

}  // namespace photosync::server
