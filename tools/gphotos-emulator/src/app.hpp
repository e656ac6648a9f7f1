#pragma once
// Everything one emulator instance owns. No globals: the server, the
// handlers and the tests all reach state through an App.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

#include "bandwidth.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "faults.hpp"
#include "ids.hpp"
#include "logger.hpp"
#include "oauth.hpp"
#include "quotas.hpp"
#include "schema.hpp"
#include "stats.hpp"
#include "store.hpp"

namespace gpe {

struct App {
    explicit App(Config config);

    Config cfg;
    Logger log;
    Clock clock;
    IdGenerator ids;
    Store store;
    OAuth oauth;
    Quotas quotas;
    Faults faults;
    Stats stats;
    BandwidthLimiter bandwidth;
    Schemas schemas;

    // Set by the server: asks it to stop (control endpoint).
    std::function<void()> request_shutdown;
    // Filled by the server once listening (for the control endpoint's info).
    int https_port = -1;
    int http_port = -1;

    // Persistence (--state FILE): whole state as JSON, written atomically.
    nlohmann::json state_json() const;
    void load_state_json(const nlohmann::json& j);
    // No-op without --state; logs failures. Serialised: the periodic save
    // and a POST /__emulator/save on another thread share one temporary
    // file, and one's rename took it from under the other (a 500, seen in CI).
    bool save_state();
    bool load_state();
    std::uint64_t state_version() const { return store.version() + oauth.version(); }
    nlohmann::json info() const;

  private:
    std::mutex save_mutex_;
};

}  // namespace gpe
