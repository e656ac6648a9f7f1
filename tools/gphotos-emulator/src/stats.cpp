#include "stats.hpp"

namespace gpe {

InFlight& InFlight::operator=(InFlight&& o) noexcept {
    if (this != &o) {
        release();
        s_ = std::exchange(o.s_, nullptr);
        ep_ = std::move(o.ep_);
    }
    return *this;
}

void InFlight::release() {
    if (s_)
        std::exchange(s_, nullptr)->end(ep_);
}

InFlight Stats::begin(const std::string& ep) {
    std::lock_guard lock(mu_);
    auto& c = by_endpoint_[ep];
    ++c.in_flight;
    c.max_in_flight = std::max(c.max_in_flight, c.in_flight);
    return InFlight(this, ep);
}

void Stats::end(const std::string& ep) {
    std::lock_guard lock(mu_);
    --by_endpoint_[ep].in_flight;
}

void Stats::record(const std::string& ep, int status) {
    std::lock_guard lock(mu_);
    auto& c = by_endpoint_[ep];
    ++c.requests;
    ++c.by_status[status == 0 ? std::string("dropped") : std::to_string(status)];
}

void Stats::add_upload_bytes(std::uint64_t n) {
    std::lock_guard lock(mu_);
    upload_bytes_ += n;
}

void Stats::connection_opened() {
    std::lock_guard lock(mu_);
    ++connections_;
}

int Stats::max_in_flight(const std::string& ep) const {
    std::lock_guard lock(mu_);
    auto it = by_endpoint_.find(ep);
    return it == by_endpoint_.end() ? 0 : it->second.max_in_flight;
}

nlohmann::json Stats::dump() const {
    std::lock_guard lock(mu_);
    nlohmann::json eps = nlohmann::json::object();
    std::uint64_t total = 0;
    for (const auto& [name, c] : by_endpoint_) {
        total += c.requests;
        eps[name] = {{"requests", c.requests},
                     {"by_status", c.by_status},
                     {"in_flight", c.in_flight},
                     {"max_in_flight", c.max_in_flight}};
    }
    const auto bc = by_endpoint_.find("mediaItems.batchCreate");
    return {
        {"endpoints", eps},
        {"total_requests", total},
        {"upload_bytes", upload_bytes_},
        {"connections", connections_},
        {"max_concurrent_batch_create", bc == by_endpoint_.end() ? 0 : bc->second.max_in_flight}};
}

void Stats::reset() {
    std::lock_guard lock(mu_);
    for (auto it = by_endpoint_.begin(); it != by_endpoint_.end();) {
        // Keep in-flight counters of requests still running.
        if (it->second.in_flight > 0) {
            it->second.requests = 0;
            it->second.by_status.clear();
            it->second.max_in_flight = it->second.in_flight;
            ++it;
        } else {
            it = by_endpoint_.erase(it);
        }
    }
    upload_bytes_ = 0;
    connections_ = 0;
}

}  // namespace gpe
