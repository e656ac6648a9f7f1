// Which folders the server may be asked to read or write: only those under
// the allowed roots (`--allow-root`, default $HOME). Checked on the path as
// written and again with symbolic links resolved, so neither ".." nor a link
// leads out; a path outside gets the same answer whether it exists or not.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "photosync/sdk/error.hpp"

namespace photosync::server {

class PathPolicy {
  public:
    // Roots are made absolute and canonical; one that does not exist is an error.
    static sdk::Result<PathPolicy> create(std::vector<std::filesystem::path> roots);

    // An absolute, normalised path for `requested` ("~/" means $HOME), or a
    // permission error naming the allowed roots. `what` names it in messages
    // ("folder", "destination folder").
    [[nodiscard]] sdk::Result<std::filesystem::path> check(std::string_view requested,
                                                           std::string_view what) const;

    [[nodiscard]] const std::vector<std::filesystem::path>& roots() const noexcept {
        return roots_;
    }

  private:
    std::vector<std::filesystem::path> roots_;  // canonical
};

// Whether `path` is `root` or lies below it (both normalised, absolute).
[[nodiscard]] bool is_within(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace photosync::server
