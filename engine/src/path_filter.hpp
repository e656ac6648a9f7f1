// --include / --exclude: which scanned items a job takes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace photosync::engine {

class PathFilter {
  public:
    PathFilter(std::vector<std::string> include, std::vector<std::string> exclude);

    // A pattern without '/' matches the file name; one with '/' matches the
    // whole relative path ('*' does not cross '/'). Exclude wins; an empty
    // include list includes everything.
    [[nodiscard]] bool accepts(std::string_view relative_path) const;

  private:
    std::vector<std::string> include_;
    std::vector<std::string> exclude_;
};

}  // namespace photosync::engine
