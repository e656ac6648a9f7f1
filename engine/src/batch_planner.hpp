// The batching rule: which staged items go into the next commit.
//
// Items are committed in scan order so albums get a deterministic order: a
// batch is the contiguous run of staged items at the head of the queue, sent
// when it is full or when nothing more is coming. Order yields to progress in
// two cases: when more than `reorder_window` items wait behind one slow item
// (a huge video), and when the oldest staged item has waited `max_wait` (its
// receipt must not age, and a slow scan must not stall commits). Then the
// lowest-numbered staged items go, gaps allowed.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "photosync/sdk/types.hpp"

namespace photosync::engine {

class BatchPlanner {
  public:
    using Clock = std::chrono::steady_clock;

    BatchPlanner(std::size_t max_batch, std::size_t reorder_window,
                 std::chrono::milliseconds max_wait);

    // Item `seq` (increasing in scan order) entered the pipeline.
    void expect(std::uint64_t seq);
    // Item `seq` is staged and can be committed.
    void ready(std::uint64_t seq, sdk::StagedItem item, Clock::time_point now);
    // Item `seq` will not be committed (it failed or was skipped).
    void drop(std::uint64_t seq);

    // The next batch to commit (empty when it is better to wait).
    // `input_complete`: no item will be expected any more.
    [[nodiscard]] std::vector<sdk::StagedItem> next_batch(Clock::time_point now,
                                                          bool input_complete);

    [[nodiscard]] bool empty() const noexcept { return slots_.empty(); }
    [[nodiscard]] std::size_t staged_count() const noexcept { return staged_; }

  private:
    struct Slot {
        std::optional<sdk::StagedItem> item;  // nullopt while in flight
        Clock::time_point ready_at{};
    };
    std::vector<sdk::StagedItem> take_lowest_staged();

    std::size_t max_batch_;
    std::size_t reorder_window_;
    std::chrono::milliseconds max_wait_;
    std::map<std::uint64_t, Slot> slots_;
    std::size_t staged_ = 0;
};

}  // namespace photosync::engine
