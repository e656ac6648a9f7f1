#include "batch_planner.hpp"

#include <algorithm>

namespace photosync::engine {

BatchPlanner::BatchPlanner(std::size_t max_batch, std::size_t reorder_window,
                           std::chrono::milliseconds max_wait)
    : max_batch_(std::max<std::size_t>(1, max_batch)),
      reorder_window_(std::max(reorder_window, max_batch_)),
      max_wait_(max_wait) {}

void BatchPlanner::expect(std::uint64_t seq) {
    slots_.try_emplace(seq);
}

void BatchPlanner::ready(std::uint64_t seq, sdk::StagedItem item, Clock::time_point now) {
    auto& slot = slots_[seq];
    if (!slot.item) {
        ++staged_;
    }
    slot.item = std::move(item);
    slot.ready_at = now;
}

void BatchPlanner::drop(std::uint64_t seq) {
    auto it = slots_.find(seq);
    if (it == slots_.end()) {
        return;
    }
    if (it->second.item) {
        --staged_;
    }
    slots_.erase(it);
}

std::vector<sdk::StagedItem> BatchPlanner::take_lowest_staged() {
    std::vector<sdk::StagedItem> batch;
    for (auto it = slots_.begin(); it != slots_.end() && batch.size() < max_batch_;) {
        if (it->second.item) {
            batch.push_back(std::move(*it->second.item));
            it = slots_.erase(it);
            --staged_;
        } else {
            ++it;
        }
    }
    return batch;
}

std::vector<sdk::StagedItem> BatchPlanner::next_batch(Clock::time_point now, bool input_complete) {
    if (staged_ == 0) {
        return {};
    }
    // Length of the contiguous staged run at the head.
    std::size_t head_run = 0;
    for (auto it = slots_.begin(); it != slots_.end() && it->second.item && head_run < max_batch_;
         ++it) {
        ++head_run;
    }
    bool nothing_in_flight = staged_ == slots_.size();
    if (head_run == max_batch_ || (input_complete && nothing_in_flight)) {
        return take_lowest_staged();  // the head run: no gaps before it
    }
    if (staged_ >= reorder_window_) {
        return take_lowest_staged();
    }
    Clock::time_point oldest = Clock::time_point::max();
    for (const auto& [seq, slot] : slots_) {
        if (slot.item) {
            oldest = std::min(oldest, slot.ready_at);
        }
    }
    if (now - oldest >= max_wait_) {
        return take_lowest_staged();
    }
    return {};
}

}  // namespace photosync::engine
