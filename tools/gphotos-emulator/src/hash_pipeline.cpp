#include "hash_pipeline.hpp"

#include <cstring>

namespace gpe {

HashPipeline::HashPipeline(Sha256& target) : target_(target), worker_([this] { run(); }) {}

HashPipeline::~HashPipeline() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
}

void HashPipeline::feed(const char* p, std::size_t n) {
    while (n > 0) {
        std::vector<char> slot;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return !free_.empty() || allocated_ < kSlots; });
            if (!free_.empty()) {
                slot = std::move(free_.back());
                free_.pop_back();
            } else {
                ++allocated_;
                slot.reserve(kSlotBytes);
            }
        }
        const std::size_t k = std::min(n, kSlotBytes);
        slot.assign(p, p + k);
        p += k;
        n -= k;
        {
            std::lock_guard lock(mu_);
            queue_.push_back(std::move(slot));
        }
        cv_.notify_all();
    }
}

void HashPipeline::drain() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void HashPipeline::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty())
            return;  // stopping and drained
        std::vector<char> slot = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        target_.update(slot.data(), slot.size());
        lock.lock();
        busy_ = false;
        free_.push_back(std::move(slot));
        cv_.notify_all();
    }
}

}  // namespace gpe
