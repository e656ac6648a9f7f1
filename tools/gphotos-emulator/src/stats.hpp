#pragma once
// Request counters by endpoint and status, plus in-flight/max concurrency
// per endpoint (the max concurrent batchCreate a client caused is visible).

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace gpe {

class Stats;

// RAII: one request of an endpoint in flight.
class InFlight {
  public:
    InFlight() = default;
    InFlight(Stats* s, std::string ep) : s_(s), ep_(std::move(ep)) {}
    InFlight(InFlight&& o) noexcept : s_(std::exchange(o.s_, nullptr)), ep_(std::move(o.ep_)) {}
    InFlight& operator=(InFlight&& o) noexcept;
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
    ~InFlight() { release(); }
    void release();

  private:
    Stats* s_ = nullptr;
    std::string ep_;
};

class Stats {
  public:
    InFlight begin(const std::string& endpoint);
    // status 0 = connection dropped without a reply.
    void record(const std::string& endpoint, int status);
    void add_upload_bytes(std::uint64_t n);
    void connection_opened();
    nlohmann::json dump() const;
    void reset();
    int max_in_flight(const std::string& endpoint) const;

  private:
    friend class InFlight;
    void end(const std::string& endpoint);

    struct Counter {
        std::uint64_t requests = 0;
        std::map<std::string, std::uint64_t> by_status;
        int in_flight = 0;
        int max_in_flight = 0;
    };
    mutable std::mutex mu_;
    std::map<std::string, Counter> by_endpoint_;
    std::uint64_t upload_bytes_ = 0;
    std::uint64_t connections_ = 0;
};

}  // namespace gpe
