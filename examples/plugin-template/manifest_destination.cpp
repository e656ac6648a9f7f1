#include "manifest_destination.hpp"

#include <openssl/evp.h>

#include <boost/asio/this_coro.hpp>
#include <fstream>
#include <photosync/sdk/blocking.hpp>
#include <random>
#include <sstream>

namespace manifest {

namespace fs = std::filesystem;
namespace sdk = photosync::sdk;
using sdk::ErrorKind;

namespace {

std::string safe_name(std::string_view title) {
    std::string out;
    for (char c : title) {
        out += (c == '/' || c == '\0' || c == '\t' || c == '\n') ? '_' : c;
    }
    return out.empty() || out.front() == '.' ? "_" + out : out;
}

std::string hex(const unsigned char* data, unsigned len) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < len; ++i) {
        s += digits[data[i] >> 4];
        s += digits[data[i] & 0xF];
    }
    return s;
}

// One manifest line: name TAB sha256 TAB size.
struct Line {
    std::string name, object;
    std::uint64_t size = 0;
};

std::vector<Line> read_manifest(const fs::path& file) {
    std::vector<Line> lines;
    std::ifstream in(file);
    std::string text;
    while (std::getline(in, text)) {
        std::istringstream fields(text);
        Line l;
        if (std::getline(fields, l.name, '\t') && std::getline(fields, l.object, '\t') &&
            fields >> l.size) {
            lines.push_back(l);
        }
    }
    return lines;
}

}  // namespace

sdk::Result<std::unique_ptr<sdk::Destination>> ManifestDestination::create(
    const sdk::PluginContext& context, const sdk::PluginConfig& config) {
    if (config.location.empty()) {
        return sdk::fail(ErrorKind::invalid_input,
                         "the manifest destination needs a folder: manifest:/path");
    }
    fs::path root = fs::absolute(config.location);
    std::error_code ec;
    fs::create_directories(root / "objects", ec);
    if (ec) {
        return sdk::fail(ErrorKind::permission,
                         "cannot create " + root.string() + ": " + ec.message());
    }
    return std::unique_ptr<sdk::Destination>(new ManifestDestination(context, root));
}

std::string ManifestDestination::describe() const {
    return "manifest:" + root_.string();
}

sdk::DestinationLimits ManifestDestination::limits() const {
    sdk::DestinationLimits l;
    l.max_batch = 100;
    return l;
}

sdk::awaitable<sdk::Result<sdk::Container>> ManifestDestination::resolve_container(
    const sdk::ContainerRequest& request) {
    co_return co_await sdk::run_blocking(context_.blocking, [&]() -> sdk::Result<sdk::Container> {
        std::string id = request.known_id.empty() ? safe_name(request.title) : request.known_id;
        if (!fs::exists(manifest_of(id))) {
            if (!request.create_if_missing) {
                return sdk::fail(ErrorKind::not_found, "no album '" + request.title + "'");
            }
            std::ofstream(manifest_of(id)).close();
        }
        return sdk::Container{id, request.title, true, read_manifest(manifest_of(id)).size()};
    });
}

sdk::awaitable<sdk::Result<sdk::Receipt>> ManifestDestination::stage(const sdk::SourceItem& item,
                                                                     sdk::ByteStream& content) {
    auto tmp = root_ / "objects" / (".part-" + std::to_string(std::random_device{}()));
    std::ofstream out(tmp, std::ios::binary);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
    std::vector<std::byte> buffer(256 * 1024);
    auto cancellation = co_await boost::asio::this_coro::cancellation_state;
    std::uint64_t total = 0;
    for (;;) {
        if (cancellation.cancelled() != boost::asio::cancellation_type::none) {
            fs::remove(tmp);
            co_return sdk::fail(ErrorKind::cancelled, "cancelled");
        }
        auto n = co_await content.read(buffer);
        if (!n) {
            fs::remove(tmp);
            co_return std::unexpected(n.error());
        }
        if (*n == 0) {
            break;
        }
        EVP_DigestUpdate(md.get(), buffer.data(), *n);
        // A real plugin writes through sdk::run_blocking; a small write to the page
        // cache is fine here and keeps the template short.
        out.write(reinterpret_cast<const char*>(buffer.data()), static_cast<std::streamsize>(*n));
        total += *n;
    }
    out.close();
    if (!out || total != item.size) {
        fs::remove(tmp);
        co_return sdk::fail(ErrorKind::io, "could not store " + sdk::display_path(item.path));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(md.get(), digest, &len);
    auto sha = hex(digest, len);
    std::error_code ec;
    fs::rename(tmp, root_ / "objects" / sha, ec);
    co_return sdk::Receipt{sha, std::chrono::system_clock::now()};
}

sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> ManifestDestination::commit(
    const sdk::Container& container, std::span<const sdk::StagedItem> items) {
    co_return co_await sdk::run_blocking(context_.blocking, [&] {
        auto file = manifest_of(container.id);
        auto next = read_manifest(file).size();
        std::ofstream out(file, std::ios::app);
        std::vector<sdk::CommitOutcome> outcomes;
        for (const auto& staged : items) {
            const auto& sha = staged.receipt.token;
            if (sha.size() != 64 || sha.find('/') != std::string::npos ||
                !fs::exists(root_ / "objects" / sha)) {
                outcomes.emplace_back(sdk::fail(ErrorKind::invalid_input, "unknown receipt"));
                continue;
            }
            out << safe_name(staged.item.file_name()) << '\t' << sha << '\t' << staged.item.size
                << '\n';
            outcomes.emplace_back(sdk::CommittedItem{container.id + "#" + std::to_string(next++)});
        }
        out.flush();
        return sdk::Result<std::vector<sdk::CommitOutcome>>(std::move(outcomes));
    });
}

sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> ManifestDestination::list_container(
    const sdk::Container& container) {
    co_return co_await sdk::run_blocking(context_.blocking, [&] {
        std::vector<sdk::RemoteItem> out;
        std::size_t n = 0;
        for (const auto& l : read_manifest(manifest_of(container.id))) {
            out.push_back(
                sdk::RemoteItem{container.id + "#" + std::to_string(n++), l.name, l.size});
        }
        return sdk::Result<std::vector<sdk::RemoteItem>>(std::move(out));
    });
}

}  // namespace manifest
