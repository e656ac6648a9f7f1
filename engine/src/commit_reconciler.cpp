#include "commit_reconciler.hpp"

#include <unordered_map>

namespace photosync::engine {

std::vector<ReconcileDecision> reconcile_commits(std::span<const LedgerEntry> entries,
                                                 std::span<const sdk::RemoteItem> album,
                                                 std::unordered_set<std::string> claimed) {
    // Album items by name, in album order (the earliest unclaimed one is taken).
    std::unordered_map<std::string_view, std::vector<const sdk::RemoteItem*>> by_name;
    by_name.reserve(album.size());
    for (const auto& r : album) {
        by_name[r.name].push_back(&r);
    }
    std::vector<ReconcileDecision> decisions;
    decisions.reserve(entries.size());
    for (const auto& e : entries) {
        const sdk::SourceItem item{e.path};
        ReconcileDecision d{e.path, std::nullopt};
        if (auto named = by_name.find(item.file_name()); named != by_name.end()) {
            for (const sdk::RemoteItem* r : named->second) {
                if (!claimed.contains(r->id) && (!r->size || *r->size == e.size)) {
                    claimed.insert(r->id);
                    d.remote_id = r->id;
                    break;
                }
            }
        }
        decisions.push_back(std::move(d));
    }
    return decisions;
}

}  // namespace photosync::engine
