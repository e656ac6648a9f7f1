#include "event_hub.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

namespace photosync::server {

void EventHub::publish(std::string type, std::string data, bool item) {
    std::vector<std::shared_ptr<EventWaiter>> to_wake;
    {
        std::lock_guard lock(mutex_);
        ring_.push_back(ServerEvent{next_seq_++, std::move(type), std::move(data), item});
        while (ring_.size() > capacity_) {
            ring_.pop_front();
        }
        std::erase_if(waiters_, [](const auto& w) { return w.expired(); });
        for (const auto& w : waiters_) {
            if (auto s = w.lock()) {
                to_wake.push_back(std::move(s));
            }
        }
    }
    for (const auto& w : to_wake) {
        wake(w);
    }
}

void EventHub::wake(const std::shared_ptr<EventWaiter>& w) {
    // One wake-up in flight per stream, however many events arrive meanwhile.
    if (w->wake_pending.exchange(true)) {
        return;
    }
    try {
        boost::asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
    } catch (...) {
        // The executor is shutting down: the stream is ending anyway.
    }
}

EventHub::Batch EventHub::since(std::uint64_t after, std::size_t max) const {
    Batch batch;
    std::lock_guard lock(mutex_);
    batch.last_seq = next_seq_ - 1;
    if (ring_.empty()) {
        return batch;
    }
    std::uint64_t first = ring_.front().seq;
    if (after + 1 < first) {
        batch.gap = true;
        after = first - 1;
    }
    for (auto i = static_cast<std::size_t>(after + 1 - first);
         i < ring_.size() && batch.events.size() < max; ++i) {
        batch.events.push_back(ring_[i]);
    }
    return batch;
}

std::uint64_t EventHub::last_seq() const {
    std::lock_guard lock(mutex_);
    return next_seq_ - 1;
}

void EventHub::subscribe(const std::shared_ptr<EventWaiter>& waiter) {
    std::lock_guard lock(mutex_);
    waiters_.push_back(waiter);
}

void EventHub::unsubscribe(const std::shared_ptr<EventWaiter>& waiter) {
    std::lock_guard lock(mutex_);
    std::erase_if(waiters_, [&](const auto& w) {
        auto s = w.lock();
        return !s || s == waiter;
    });
}

void EventHub::wake_all() {
    std::vector<std::shared_ptr<EventWaiter>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& w : waiters_) {
            if (auto s = w.lock()) {
                all.push_back(std::move(s));
            }
        }
    }
    for (const auto& w : all) {
        w->wake_pending.store(false);
        wake(w);
    }
}

}  // namespace photosync::server
