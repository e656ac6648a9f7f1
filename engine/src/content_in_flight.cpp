#include "content_in_flight.hpp"

namespace photosync::engine {

void ContentInFlight::note(const std::string& sha256, const std::string& path) {
    if (path_by_hash_.emplace(sha256, path).second) {
        hash_by_path_.emplace(path, sha256);
    }
}

void ContentInFlight::forget(const std::string& path) {
    if (auto it = hash_by_path_.find(path); it != hash_by_path_.end()) {
        path_by_hash_.erase(it->second);
        hash_by_path_.erase(it);
    }
}

const std::string* ContentInFlight::find(const std::string& sha256) const {
    auto it = path_by_hash_.find(sha256);
    return it == path_by_hash_.end() ? nullptr : &it->second;
}

}  // namespace photosync::engine
