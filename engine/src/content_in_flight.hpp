// The content of this run's items that the ledger cannot answer for yet:
// staged or being committed, not settled. The dedupe asks it whether a
// file's SHA-256 is already on its way up under another path (a copy in the
// same folder goes up once). Once an item's commit is recorded, the ledger's
// lookup by hash answers for it and it is forgotten here, so this holds only
// what is in flight: bounded memory on a run of any size.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

namespace photosync::engine {

class ContentInFlight {
  public:
    // Notes that `path` holds content `sha256`. The first path noted for a
    // content keeps it: later twins are found as copies of that one.
    void note(const std::string& sha256, const std::string& path);
    // Forgets what `path` noted (its commit is in the ledger now).
    void forget(const std::string& path);
    // The path that holds this content, or nullptr.
    [[nodiscard]] const std::string* find(const std::string& sha256) const;
    [[nodiscard]] std::size_t size() const noexcept { return path_by_hash_.size(); }

  private:
    std::unordered_map<std::string, std::string> path_by_hash_;
    std::unordered_map<std::string, std::string> hash_by_path_;  // to forget by path
};

}  // namespace photosync::engine
