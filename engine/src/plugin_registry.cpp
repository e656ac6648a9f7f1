// Loading plugins through Boost.DLL. The checks run in an order that never
// touches a C++ type of a library before we know it speaks our ABI:
// loadable? -> exports the three entry points? -> ABI version? -> build key?
// -> PluginInfo sane? Each refusal is one line naming the file.
#include "photosync/engine/plugin_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstring>

namespace photosync::engine {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::fail;

struct PluginRegistry::Loaded {
    boost::dll::shared_library library;
    const sdk::PluginInfo* info = nullptr;
    PluginDescriptor descriptor;
};

PluginRegistry::PluginRegistry() = default;
PluginRegistry::~PluginRegistry() = default;
PluginRegistry::PluginRegistry(PluginRegistry&&) noexcept = default;
PluginRegistry& PluginRegistry::operator=(PluginRegistry&&) noexcept = default;

namespace {

std::string refused(const fs::path& path, std::string_view why) {
    return "plugin " + path.string() + " refused: " + std::string(why);
}

std::string safe_text(const char* s) {
    return s == nullptr ? std::string{} : std::string(s, strnlen(s, 1024));
}

}  // namespace

sdk::Result<const PluginDescriptor*> PluginRegistry::load_file(const fs::path& path) {
    auto problem = [&](std::string why) -> sdk::Result<const PluginDescriptor*> {
        auto message = refused(path, why);
        problems_.push_back(PluginProblem{path, message});
        return fail(ErrorKind::invalid_input, std::move(message));
    };

    auto loaded = std::make_shared<Loaded>();
    boost::dll::fs::error_code ec;
    ::dlerror();  // clear any stale message
    // rtld_now: unresolved symbols fail here, with a message, not later with a crash.
    loaded->library.load(path, ec,
                         boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    if (ec) {
        const char* why = ::dlerror();
        std::string detail = why != nullptr ? safe_text(why) : ec.message();
        // dlerror repeats the path; keep the part after it.
        if (auto pos = detail.rfind(": "); pos != std::string::npos) {
            detail = detail.substr(pos + 2);
        }
        return problem("not a loadable shared library (" + detail + ")");
    }
    auto& lib = loaded->library;
    if (!lib.has(PHOTOSYNC_PLUGIN_ABI_SYMBOL) || !lib.has(PHOTOSYNC_PLUGIN_KEY_SYMBOL) ||
        !lib.has(PHOTOSYNC_PLUGIN_INFO_SYMBOL)) {
        return problem("not a photosync plugin (it does not export " PHOTOSYNC_PLUGIN_INFO_SYMBOL
                       "; build it with PHOTOSYNC_PLUGIN from photosync/sdk/plugin.hpp)");
    }
    auto abi = lib.get<std::uint32_t() noexcept>(PHOTOSYNC_PLUGIN_ABI_SYMBOL)();
    if (abi != PHOTOSYNC_SDK_ABI_VERSION) {
        return problem("built for SDK ABI version " + std::to_string(abi) +
                       ", this photosync needs version " +
                       std::to_string(PHOTOSYNC_SDK_ABI_VERSION) +
                       "; rebuild the plugin against this photosync's SDK");
    }
    auto key = safe_text(lib.get<const char*() noexcept>(PHOTOSYNC_PLUGIN_KEY_SYMBOL)());
    if (key != PHOTOSYNC_SDK_BUILD_KEY) {
        return problem("built with a different toolchain (" + key + ", need " +
                       PHOTOSYNC_SDK_BUILD_KEY +
                       "); rebuild the plugin with the same compiler and Boost");
    }
    const auto* info = lib.get<const sdk::PluginInfo*() noexcept>(PHOTOSYNC_PLUGIN_INFO_SYMBOL)();
    if (info == nullptr || info->name == nullptr || *info->name == '\0') {
        return problem("its plugin info has no name");
    }
    bool is_source = info->kind == sdk::PluginKind::source;
    if ((is_source && info->make_source == nullptr) ||
        (!is_source && info->make_destination == nullptr)) {
        return problem("its plugin info has no factory for its kind");
    }
    loaded->info = info;
    auto& d = loaded->descriptor;
    d.name = safe_text(info->name);
    d.kind = info->kind;
    d.version = safe_text(info->version);
    d.description = safe_text(info->description);
    d.path = path;
    d.has_authenticator = info->make_authenticator != nullptr;
    for (std::size_t i = 0; info->options != nullptr && i < info->option_count; ++i) {
        const auto& o = info->options[i];
        d.options.push_back(PluginOption{safe_text(o.name), safe_text(o.help),
                                         safe_text(o.default_value), o.default_value != nullptr,
                                         o.secret});
    }
    if (const auto* existing = find(d.name); existing != nullptr) {
        // Earlier directories take precedence; a shadowed copy is not an error.
        return existing;
    }
    loaded_.push_back(std::move(loaded));
    return &loaded_.back()->descriptor;
}

PluginRegistry PluginRegistry::discover(std::span<const fs::path> dirs) {
    PluginRegistry registry;
    for (const auto& dir : dirs) {
        registry.searched_.push_back(dir);
        std::error_code ec;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (looks_like_plugin_file(it->path())) {
                files.push_back(it->path());
            }
        }
        std::ranges::sort(files);  // deterministic precedence within a folder
        for (const auto& f : files) {
            (void)registry.load_file(f);
        }
    }
    return registry;
}

std::vector<PluginDescriptor> PluginRegistry::plugins() const {
    std::vector<PluginDescriptor> out;
    for (const auto& l : loaded_) {
        out.push_back(l->descriptor);
    }
    std::ranges::sort(out, {}, &PluginDescriptor::name);
    return out;
}

const std::vector<PluginProblem>& PluginRegistry::problems() const noexcept {
    return problems_;
}

const std::vector<fs::path>& PluginRegistry::searched_dirs() const noexcept {
    return searched_;
}

const PluginDescriptor* PluginRegistry::find(std::string_view name) const {
    for (const auto& l : loaded_) {
        if (l->descriptor.name == name) {
            return &l->descriptor;
        }
    }
    return nullptr;
}

namespace {

// Owns a plugin-made object and keeps its library loaded until the object is
// gone: the object's vtable and destructor live in that library.
template <class T>
struct PluginObject {
    PluginObject(std::shared_ptr<const void> owner, std::unique_ptr<T> obj)
        : library_owner(std::move(owner)), object(std::move(obj)) {}
    ~PluginObject() { object.reset(); }  // before library_owner, explicitly
    PluginObject(const PluginObject&) = delete;
    PluginObject& operator=(const PluginObject&) = delete;
    std::shared_ptr<const void> library_owner;
    std::unique_ptr<T> object;
};

// Wraps a plugin-made object so its library stays loaded until it is gone.
template <class T>
sdk::Result<std::shared_ptr<T>> adopt(sdk::Result<std::unique_ptr<T>> made,
                                      std::shared_ptr<const void> owner) {
    if (!made) {
        return std::unexpected(std::move(made.error()));
    }
    auto holder = std::make_shared<PluginObject<T>>(std::move(owner), std::move(*made));
    T* raw = holder->object.get();
    return std::shared_ptr<T>(std::move(holder), raw);
}

// Options are declared as data: a key the plugin does not declare is a typo.
sdk::Result<void> check_options(const PluginDescriptor& d, const sdk::PluginConfig& config) {
    for (const auto& [key, value] : config.options) {
        bool known = std::ranges::any_of(d.options, [&](const auto& o) { return o.name == key; });
        if (!known) {
            std::string names;
            for (const auto& o : d.options) {
                names += names.empty() ? o.name : ", " + o.name;
            }
            return fail(ErrorKind::invalid_input,
                        "plugin '" + d.name + "' has no option '" + key + "' (its options: " +
                            (names.empty() ? std::string("none") : names) + ")");
        }
    }
    return {};
}

}  // namespace

sdk::Result<std::shared_ptr<const PluginRegistry::Loaded>> PluginRegistry::find_kind(
    std::string_view name, sdk::PluginKind kind) const {
    for (const auto& l : loaded_) {
        if (l->descriptor.name == name && l->info->kind == kind) {
            return l;
        }
    }
    std::string known;
    for (const auto& p : plugins()) {
        if (p.kind == kind) {
            known += known.empty() ? p.name : ", " + p.name;
        }
    }
    return fail(ErrorKind::not_found,
                "no " + std::string(sdk::to_string(kind)) + " plugin named '" + std::string(name) +
                    "' (available: " + (known.empty() ? std::string("none") : known) +
                    "; 'photosync plugins' lists them and where they were looked for)");
}

sdk::Result<std::shared_ptr<sdk::Source>> PluginRegistry::make_source(
    std::string_view name, const sdk::PluginContext& context,
    const sdk::PluginConfig& config) const {
    auto l = find_kind(name, sdk::PluginKind::source);
    if (!l) {
        return std::unexpected(std::move(l.error()));
    }
    if (auto ok = check_options((*l)->descriptor, config); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return adopt((*l)->info->make_source(context, config), *l);
}

sdk::Result<std::shared_ptr<sdk::Destination>> PluginRegistry::make_destination(
    std::string_view name, const sdk::PluginContext& context,
    const sdk::PluginConfig& config) const {
    auto l = find_kind(name, sdk::PluginKind::destination);
    if (!l) {
        return std::unexpected(std::move(l.error()));
    }
    if (auto ok = check_options((*l)->descriptor, config); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return adopt((*l)->info->make_destination(context, config), *l);
}

sdk::Result<std::shared_ptr<sdk::Authenticator>> PluginRegistry::make_authenticator(
    std::string_view name, const sdk::PluginContext& context,
    const sdk::PluginConfig& config) const {
    const PluginDescriptor* d = find(name);
    if (d == nullptr) {
        return fail(ErrorKind::not_found,
                    "no plugin named '" + std::string(name) + "' ('photosync plugins' lists them)");
    }
    if (!d->has_authenticator) {
        return fail(ErrorKind::invalid_input,
                    "plugin '" + std::string(name) + "' needs no sign-in");
    }
    if (auto ok = check_options(*d, config); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    for (const auto& l : loaded_) {
        if (&l->descriptor == d) {
            return adopt(l->info->make_authenticator(context, config), l);
        }
    }
    return fail(ErrorKind::internal, "plugin '" + std::string(name) + "' vanished");
}

}  // namespace photosync::engine
