#include "app.hpp"

#include <unistd.h>

namespace gpe {

namespace {
QuotaLimits limits_from(const Config& c) {
    return {c.requests_per_day, c.writes_per_minute, c.concurrent_write_limit};
}
}  // namespace

App::App(Config config)
    : cfg(std::move(config)),
      log(parse_log_level(cfg.log_level)),
      oauth(cfg, clock, ids),
      quotas(clock, limits_from(cfg)),
      faults(cfg.fault_seed) {
    clock.set_offset_ms(cfg.clock_offset_s * 1000);
    for (const auto& spec : cfg.faults)
        faults.add(parse_fault_spec(spec));
    if (cfg.latency_ms > 0) {
        FaultRule r;
        r.kind = FaultKind::latency;
        r.latency_ms = static_cast<std::uint64_t>(cfg.latency_ms);
        faults.add(r);
    }
    faults.set_bandwidth(cfg.bandwidth_bytes_per_s);
}

nlohmann::json App::info() const {
    nlohmann::json j;
    j["pid"] = static_cast<long long>(::getpid());
    if (https_port >= 0) {
        j["https_port"] = https_port;
        j["https_url"] = "https://127.0.0.1:" + std::to_string(https_port);
    }
    if (http_port >= 0) {
        j["http_port"] = http_port;
        j["http_url"] = "http://127.0.0.1:" + std::to_string(http_port);
    }
    const int main_port = https_port >= 0 ? https_port : http_port;
    j["port"] = main_port;
    j["base_url"] =
        (https_port >= 0 ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(main_port);
    j["ca_file"] = cfg.ca_file;
    j["client_id"] = cfg.client_id;
    j["client_secret"] = cfg.client_secret;
    j["client_secret_file"] = cfg.client_secret_file;
    j["state_file"] = cfg.state_file;
    j["default_user"] = cfg.default_user;
    return j;
}

}  // namespace gpe
