#include "temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace photosync::test {

TempDir::TempDir() : TempDir(std::filesystem::temp_directory_path()) {}

TempDir::TempDir(const std::filesystem::path& parent) {
    auto tmpl = (parent / "photosync-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = tmpl;
    ::chmod(path_.c_str(), 0755);  // readable by the unprivileged user some tests switch to
}

TempDir::~TempDir() {
    std::error_code ec;
    // Restore permissions first so removal of chmod-000 entries cannot fail.
    for (auto it = std::filesystem::recursive_directory_iterator(
             path_, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_symlink(ec)) {
            ::chmod(it->path().c_str(), 0755);
        }
    }
    std::filesystem::remove_all(path_, ec);
}

}  // namespace photosync::test
