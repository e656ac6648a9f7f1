#include "access_token.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "photosync/sdk/posix_error.hpp"

namespace photosync::server {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kTokenBytes = 32;

std::string base64url(const unsigned char* data, std::size_t size) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 0x3F];
        }
    }
    if (bits > 0) {
        out += alphabet[(acc << (6 - bits)) & 0x3F];
    }
    return out;
}

bool plausible(std::string_view token) {
    if (token.size() < 32 || token.size() > 256) {
        return false;
    }
    for (char c : token) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == '~';
        if (!ok) {
            return false;
        }
    }
    return true;
}

sdk::Result<std::string> read_token(const fs::path& file) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return std::unexpected(sdk::errno_error("read the server token " + file.string(), errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) {
        // Someone loosened it: only the owner may read the token.
        (void)::fchmod(fd, 0600);
    }
    std::string content(512, '\0');
    ssize_t n = ::read(fd, content.data(), content.size());
    int err = errno;
    ::close(fd);
    if (n < 0) {
        return std::unexpected(sdk::errno_error("read the server token " + file.string(), err));
    }
    content.resize(static_cast<std::size_t>(n));
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r' ||
                                content.back() == ' ' || content.back() == '\t')) {
        content.pop_back();
    }
    if (!plausible(content)) {
        return sdk::fail(sdk::ErrorKind::invalid_input,
                         "the server token file " + file.string() +
                             " is malformed: delete it and start the server again for a new one");
    }
    return content;
}

}  // namespace

std::string generate_token() {
    std::array<unsigned char, kTokenBytes> bytes{};
    std::size_t got = 0;
    while (got < bytes.size()) {
        ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        got += static_cast<std::size_t>(n);
    }
    return base64url(bytes.data(), bytes.size());
}

sdk::Result<AccessToken> load_or_create_token(const fs::path& file) {
    std::error_code ec;
    if (fs::exists(file, ec)) {
        auto token = read_token(file);
        if (!token) {
            return std::unexpected(token.error());
        }
        return AccessToken{std::move(*token), false};
    }
    if (!file.parent_path().empty()) {
        fs::create_directories(file.parent_path(), ec);
        if (ec) {
            return std::unexpected(sdk::errno_error(
                "create the folder " + file.parent_path().string() + " for the server token",
                ec.value()));
        }
    }
    AccessToken token{generate_token(), true};
    // Written under a temporary name and renamed: never a half-written token.
    fs::path temp = file;
    temp += ".tmp." + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return std::unexpected(sdk::errno_error("write the server token " + file.string(), errno));
    }
    std::string line = token.value + "\n";
    bool ok = ::fchmod(fd, 0600) == 0 &&
              ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
              ::fsync(fd) == 0;
    int err = errno;
    ::close(fd);
    if (!ok || ::link(temp.c_str(), file.c_str()) != 0) {
        err = ok ? errno : err;
        ::unlink(temp.c_str());
        if (err == EEXIST) {
            // Another server started at the same moment: use its token.
            auto existing = read_token(file);
            if (!existing) {
                return std::unexpected(existing.error());
            }
            return AccessToken{std::move(*existing), false};
        }
        return std::unexpected(sdk::errno_error("write the server token " + file.string(), err));
    }
    ::unlink(temp.c_str());
    return token;
}

bool bearer_matches(std::string_view authorization, std::string_view token) noexcept {
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() < scheme.size()) {
        return false;
    }
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = authorization[i];
        char want = scheme[i];
        if ((c | 0x20) != (want | 0x20)) {  // the scheme is case-insensitive
            return false;
        }
    }
    std::string_view given = authorization.substr(scheme.size());
    while (!given.empty() && given.back() == ' ') {
        given.remove_suffix(1);
    }
    if (given.size() != token.size() || token.empty()) {
        return false;
    }
    // Every byte is looked at, whatever differs: no timing hint of how much matched.
    volatile unsigned char diff = 0;
    for (std::size_t i = 0; i < token.size(); ++i) {
        diff = diff | static_cast<unsigned char>(given[i] ^ token[i]);
    }
    return diff == 0;
}

}  // namespace photosync::server
