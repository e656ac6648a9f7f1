#include "path_policy.hpp"

#include <cstdlib>

#include "photosync/sdk/types.hpp"

namespace photosync::server {

namespace fs = std::filesystem;

namespace {

fs::path home_dir() {
    const char* home = std::getenv("HOME");
    return home != nullptr && *home == '/' ? fs::path(home) : fs::path();
}

fs::path without_trailing_slash(fs::path p) {
    if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) {
        p = p.parent_path();
    }
    return p;
}

}  // namespace

bool is_within(const fs::path& path, const fs::path& root) {
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++p) {
        if (r->empty()) {
            continue;  // a trailing separator
        }
        if (p == path.end() || *p != *r) {
            return false;
        }
    }
    return true;
}

sdk::Result<PathPolicy> PathPolicy::create(std::vector<fs::path> roots) {
    if (roots.empty()) {
        auto home = home_dir();
        if (home.empty()) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "HOME is not set: name the folders the server may use with "
                             "--allow-root DIR");
        }
        roots.push_back(home);
    }
    PathPolicy policy;
    for (const auto& root : roots) {
        std::error_code ec;
        auto canonical = fs::canonical(fs::absolute(root, ec), ec);
        if (ec || !fs::is_directory(canonical, ec)) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "allowed root " + sdk::display_path(root.string()) +
                                 " is not an existing folder: check --allow-root");
        }
        policy.roots_.push_back(without_trailing_slash(canonical));
    }
    return policy;
}

sdk::Result<fs::path> PathPolicy::check(std::string_view requested, std::string_view what) const {
    std::string text(requested);
    if (text == "~" || text.starts_with("~/")) {
        auto home = home_dir();
        if (!home.empty()) {
            text = home.string() + text.substr(1);
        }
    }
    if (text.empty() || text.front() != '/') {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         std::string(what) +
                             " must be an absolute path (starting with '/'), not '" +
                             sdk::display_path(text) + "'");
    }
    if (text.find('\0') != std::string::npos) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         std::string(what) + " contains a NUL character");
    }
    fs::path normal = without_trailing_slash(fs::path(text).lexically_normal());
    auto outside = [&] {
        std::string list;
        for (const auto& r : roots_) {
            list += (list.empty() ? "" : ", ") + sdk::display_path(r.string());
        }
        return sdk::fail(sdk::ErrorKind::permission,
                         std::string(what) + " " + sdk::display_path(normal.string()) +
                             " is outside the folders this server may use (" + list +
                             "); start it with --allow-root to allow more");
    };
    auto within_any = [&](const fs::path& p) {
        for (const auto& r : roots_) {
            if (is_within(p, r)) {
                return true;
            }
        }
        return false;
    };
    // Roots are canonical; a path written through a symbolic link to a root is
    // judged by where it leads.
    std::error_code ec;
    fs::path resolved = without_trailing_slash(fs::weakly_canonical(normal, ec));
    if (ec) {
        resolved = normal;
    }
    if (!within_any(resolved)) {
        return outside();
    }
    return normal;
}

}  // namespace photosync::server
