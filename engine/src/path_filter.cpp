#include "path_filter.hpp"

#include <fnmatch.h>

#include <algorithm>

namespace photosync::engine {

namespace {
bool matches(const std::string& pattern, const std::string& path) {
    if (pattern.find('/') != std::string::npos) {
        return ::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0;
    }
    auto slash = path.rfind('/');
    auto name = slash == std::string::npos ? path : path.substr(slash + 1);
    return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}
}  // namespace

PathFilter::PathFilter(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(std::move(include)), exclude_(std::move(exclude)) {}

bool PathFilter::accepts(std::string_view relative_path) const {
    std::string path(relative_path);
    auto hit = [&](const std::string& p) { return matches(p, path); };
    if (std::ranges::any_of(exclude_, hit)) {
        return false;
    }
    return include_.empty() || std::ranges::any_of(include_, hit);
}

}  // namespace photosync::engine
