#include "token_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <random>

#include "photosync/sdk/posix_error.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

sdk::Result<void> ensure_private_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return std::unexpected(
            sdk::errno_error("create " + sdk::display_path(dir.string()), ec.value()));
    }
    // Only the leaf (the plugin's own dir) is ours to tighten.
    if (::chmod(dir.c_str(), 0700) != 0) {
        return std::unexpected(
            sdk::errno_error("protect " + sdk::display_path(dir.string()), errno));
    }
    return {};
}

}  // namespace

sdk::Result<StoredCredentials> parse_stored_credentials(const std::string& text,
                                                        const std::string& name) {
    auto doc = json::parse(text, nullptr, false);
    auto field = [&](const char* key) -> std::string {
        if (!doc.is_object()) {
            return {};
        }
        auto it = doc.find(key);
        return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    StoredCredentials c{field("refresh_token"), field("scope"), field("client_id"),
                        field("saved_at")};
    if (c.refresh_token.empty()) {
        return sdk::fail(ErrorKind::auth, "the stored sign-in " + name + " is damaged; " +
                                              "run `photosync auth login` again");
    }
    return c;
}

sdk::Result<std::optional<StoredCredentials>> TokenStore::load() const {
    const auto name = sdk::display_path(file_.string());
    Fd f{::open(file_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
    if (f.fd < 0) {
        if (errno == ENOENT) {
            return std::optional<StoredCredentials>{};
        }
        auto e = sdk::errno_error("read the stored sign-in " + name, errno);
        e.kind = ErrorKind::auth;
        return std::unexpected(e);
    }
    struct stat st {};
    if (::fstat(f.fd, &st) == 0 && (st.st_mode & 077) != 0) {
        (void)::fchmod(f.fd, 0600);  // credentials are for the owner's eyes only
    }
    std::string text;
    char buf[4096];
    for (;;) {
        auto n = ::read(f.fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            auto e = sdk::errno_error("read the stored sign-in " + name, errno);
            e.kind = ErrorKind::auth;
            return std::unexpected(e);
        }
        if (n == 0 || text.size() > 1024 * 1024) {
            break;
        }
        text.append(buf, static_cast<std::size_t>(n));
    }
    auto c = parse_stored_credentials(text, name);
    if (!c) {
        return std::unexpected(std::move(c.error()));
    }
    return std::optional<StoredCredentials>(std::move(*c));
}

sdk::Result<void> TokenStore::save(const StoredCredentials& credentials) const {
    if (auto dir = ensure_private_dir(file_.parent_path()); !dir) {
        return dir;
    }
    json doc = {{"refresh_token", credentials.refresh_token},
                {"scope", credentials.scope},
                {"client_id", credentials.client_id},
                {"saved_at", credentials.saved_at}};
    auto text = doc.dump(2) + "\n";
    auto tmp = file_;
    tmp += ".tmp-" + std::to_string(std::random_device{}());
    const auto name = sdk::display_path(file_.string());
    {
        // Created 0600 from the start: never readable by others, not even briefly.
        Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)};
        if (f.fd < 0) {
            return std::unexpected(sdk::errno_error("write " + name, errno));
        }
        std::string_view rest = text;
        while (!rest.empty()) {
            auto n = ::write(f.fd, rest.data(), rest.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                int err = errno;
                ::unlink(tmp.c_str());
                return std::unexpected(sdk::errno_error("write " + name, err));
            }
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        if (::fchmod(f.fd, 0600) != 0 || ::fsync(f.fd) != 0) {
            int err = errno;
            ::unlink(tmp.c_str());
            return std::unexpected(sdk::errno_error("write " + name, err));
        }
    }
    if (::rename(tmp.c_str(), file_.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return std::unexpected(sdk::errno_error("write " + name, err));
    }
    return {};
}

sdk::Result<void> TokenStore::remove() const {
    if (::unlink(file_.c_str()) != 0 && errno != ENOENT) {
        return std::unexpected(
            sdk::errno_error("delete " + sdk::display_path(file_.string()), errno));
    }
    return {};
}

}  // namespace photosync::gphotos
