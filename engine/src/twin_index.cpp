#include "twin_index.hpp"

#include <algorithm>
#include <charconv>

namespace photosync::engine {

std::uint64_t head_key(const std::string& head) noexcept {
    std::uint64_t key = 0;
    const auto n = std::min<std::size_t>(head.size(), 16);
    (void)std::from_chars(head.data(), head.data() + n, key, 16);
    return key;
}

bool TwinIndex::Group::needs_full_hash(const std::string& head) const {
    return committed_size || heads.contains(head_key(head)) || (first_head && *first_head == head);
}

bool TwinIndex::Group::settled(const std::string& head) const {
    if (first_uploading && (!first_head || *first_head == head)) {
        return false;
    }
    return !uploading_by_head.contains(head_key(head));
}

void TwinIndex::Group::add_head(const std::string& head) {
    heads.insert(head_key(head));
}

void TwinIndex::Group::upload_started(const std::string& head) {
    ++uploading_by_head[head_key(head)];
}

void TwinIndex::Group::upload_ended(const std::string& head) {
    auto it = uploading_by_head.find(head_key(head));
    if (it != uploading_by_head.end() && --it->second <= 0) {
        uploading_by_head.erase(it);
    }
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
