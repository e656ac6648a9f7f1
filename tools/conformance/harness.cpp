#include "harness.hpp"

#include <cstdio>
#include <stdexcept>

namespace photosync::conformance {

namespace {

class StderrLog final : public sdk::LogSink {
  public:
    void write(sdk::LogLevel level, std::string_view m) noexcept override {
        if (level >= sdk::LogLevel::warn) {
            std::fprintf(stderr, "plugin log: %.*s\n", static_cast<int>(m.size()), m.data());
        }
    }
    bool enabled(sdk::LogLevel level) const noexcept override {
        return level >= sdk::LogLevel::warn;
    }
};

Harness* g_harness = nullptr;

}  // namespace

Harness& harness() {
    if (g_harness == nullptr) {
        throw std::logic_error("conformance harness not set up");
    }
    return *g_harness;
}

void set_harness(Harness* h) {
    g_harness = h;
}

Harness::Harness(const Settings& settings)
    : settings_(settings), log_(std::make_unique<StderrLog>()) {
    std::filesystem::path as_path(settings.plugin);
    if (settings.plugin.find('/') != std::string::npos || as_path.extension() == ".so") {
        auto loaded = registry_.load_file(std::filesystem::absolute(as_path));
        if (!loaded) {
            throw std::runtime_error(loaded.error().message);
        }
        descriptor_ = *loaded;
    } else {
        registry_ = engine::PluginRegistry::discover(
            engine::standard_plugin_dirs(settings.plugin_dirs, ""));
        descriptor_ = registry_.find(settings.plugin);
        if (descriptor_ == nullptr) {
            throw std::runtime_error("no plugin named '" + settings.plugin +
                                     "' on the search path");
        }
    }
    config_.location = settings.location;
    for (const auto& o : settings.options) {
        auto eq = o.find('=');
        if (eq == std::string::npos) {
            throw std::runtime_error("option '" + o + "' is not KEY=VALUE");
        }
        config_.options.insert_or_assign(o.substr(0, eq), o.substr(eq + 1));
    }
}

Harness::~Harness() {
    blocking_.join();
}

sdk::PluginContext Harness::context() {
    return sdk::PluginContext{io_.get_executor(), blocking_.get_executor(), log_.get(),
                              settings_.state_dir};
}

std::shared_ptr<sdk::Source> Harness::source() {
    auto s = registry_.make_source(descriptor_->name, context(), config_);
    if (!s) {
        throw std::runtime_error(s.error().message);
    }
    return *s;
}

std::shared_ptr<sdk::Destination> Harness::destination() {
    auto d = registry_.make_destination(descriptor_->name, context(), config_);
    if (!d) {
        throw std::runtime_error(d.error().message);
    }
    return *d;
}

}  // namespace photosync::conformance
