// --state FILE: the store and OAuth grants as one JSON document, written
// atomically (temp file + rename) so a crash never leaves half a file.
#include <filesystem>
#include <fstream>

#include "app.hpp"

namespace gpe {

nlohmann::json App::state_json() const {
    return {{"format", "photosync-emulator-state"},
            {"version", 1},
            {"clock_offset_ms", clock.offset_ms()},
            {"store", store.to_json()},
            {"oauth", oauth.to_json()}};
}

void App::load_state_json(const nlohmann::json& j) {
    if (j.value("format", "") != "photosync-emulator-state")
        throw std::runtime_error("not an emulator state file");
    clock.set_offset_ms(j.value("clock_offset_ms", std::int64_t{0}));
    store.load_json(j.at("store"));
    oauth.load_json(j.at("oauth"));
}

bool App::save_state() {
    if (cfg.state_file.empty())
        return true;
    std::lock_guard lock(save_mutex_);
    try {
        const std::string tmp = cfg.state_file + ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << state_json().dump();
            out.flush();
            if (!out)
                throw std::runtime_error("write failed");
        }
        std::filesystem::rename(tmp, cfg.state_file);
        return true;
    } catch (const std::exception& e) {
        log.error(std::string("saving state to ") + cfg.state_file + " failed: " + e.what());
        return false;
    }
}

bool App::load_state() {
    if (cfg.state_file.empty() || !std::filesystem::exists(cfg.state_file))
        return true;
    try {
        std::ifstream in(cfg.state_file, std::ios::binary);
        load_state_json(nlohmann::json::parse(in));
        log.info("loaded state from " + cfg.state_file);
        return true;
    } catch (const std::exception& e) {
        log.error(std::string("loading state from ") + cfg.state_file + " failed: " + e.what());
        return false;
    }
}

}  // namespace gpe
