#include "twin_index.hpp"

namespace photosync::engine {

bool TwinIndex::Group::needs_full_hash(const std::string& head) const {
    return committed_size || heads.contains(head) || (first_head && *first_head == head);
}

bool TwinIndex::Group::settled(const std::string& head) const {
    if (first_uploading && (!first_head || *first_head == head)) {
        return false;
    }
    auto it = uploading_by_head.find(head);
    return it == uploading_by_head.end() || it->second == 0;
}

TwinIndex::Group* TwinIndex::find(std::uint64_t size) {
    auto it = groups_.find(size);
    return it == groups_.end() ? nullptr : &it->second;
}

TwinIndex::Group& TwinIndex::open(const sdk::SourceItem& item, bool committed_size) {
    auto [it, inserted] = groups_.try_emplace(item.size);
    if (inserted) {
        it->second.first = item;
        it->second.committed_size = committed_size;
    }
    return it->second;
}

}  // namespace photosync::engine
