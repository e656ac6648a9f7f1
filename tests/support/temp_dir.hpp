// A fresh directory under $TMPDIR (or a given parent), removed with everything in it at scope exit.
#pragma once

#include <filesystem>
#include <string>

namespace photosync::test {

class TempDir {
  public:
    TempDir();
    // Under `parent` instead of $TMPDIR (a tmpfs, say).
    explicit TempDir(const std::filesystem::path& parent);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& rel) const {
        return path_ / rel;
    }

  private:
    std::filesystem::path path_;
};

}  // namespace photosync::test
