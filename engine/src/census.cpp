#include "census.hpp"

namespace photosync::engine {

sdk::awaitable<void> take_census(sdk::Source& source, const PathFilter& filter, StateStore* store,
                                 std::int64_t target, std::int64_t run_started,
                                 std::function<bool()> stop, CensusCount& count) {
    auto lister = co_await source.list();
    if (!lister) {
        co_return;  // the run's own scan reports it
    }
    while (!stop()) {
        auto entry = co_await (*lister)->next();
        if (!entry) {
            co_return;
        }
        if (!*entry) {
            count.complete.store(true, std::memory_order_relaxed);
            co_return;
        }
        const auto* item = std::get_if<sdk::SourceItem>(&**entry);
        if (item == nullptr || !filter.accepts(item->path)) {
            continue;
        }
        if (store != nullptr && target != 0) {
            auto known = store->find(target, item->path);
            if (!known) {
                co_return;  // the scan meets the same ledger error and reports it
            }
            if (same_file(*known, *item) && (*known)->state == ItemState::committed &&
                (*known)->updated_at < run_started) {
                continue;
            }
        }
        count.files.fetch_add(1, std::memory_order_relaxed);
        count.bytes.fetch_add(item->size, std::memory_order_relaxed);
    }
}

}  // namespace photosync::engine
