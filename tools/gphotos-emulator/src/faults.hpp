#pragma once
// Fault injection: a list of rules, each scoped to an endpoint, firing with a
// rate (seeded RNG) and/or for the next N matching requests after skipping M.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace gpe {

enum class FaultKind {
    error,              // reply with `status` (500/503/429/...) before doing anything
    latency,            // wait latency_ms before handling
    drop_mid_upload,    // close the connection after after_bytes of the request body
    drop_before_reply,  // handle the request fully, then close without replying
    // Reply faults: the request is handled fully (it takes effect), then its
    // reply reaches the client damaged.
    malformed_json,      // the body is cut to its first half (broken JSON), framing intact
    truncated_body,      // the full Content-Length is announced, half the body sent, then close
    wrong_content_type,  // an HTML page as text/html instead of the real body
    huge_body,           // the real body padded with spaces to body_bytes (valid, but huge)
};

// The damage a reply fault does (none: the reply goes out as it is).
enum class ReplyFault { none, malformed_json, truncated_body, wrong_content_type, huge_body };

struct FaultRule {
    std::uint64_t id = 0;
    FaultKind kind = FaultKind::error;
    std::string endpoint = "*";  // "*", "uploads", "mediaItems.batchCreate", "batchCreate", ...
    int status = 503;
    double rate = 1.0;
    std::int64_t count = -1;  // fire at most this many times (-1 = unlimited)
    std::uint64_t skip = 0;   // let this many matching requests through first
    std::uint64_t latency_ms = 0;
    std::uint64_t after_bytes = 65536;
    std::uint64_t body_bytes = 64ull << 20;  // huge_body: size of the reply body
    // Counters.
    std::uint64_t matched = 0;
    std::uint64_t fired = 0;
};

struct FaultDecision {
    std::chrono::milliseconds latency{0};
    int error_status = 0;
    std::optional<std::uint64_t> drop_after_bytes;
    bool drop_before_reply = false;
    ReplyFault reply = ReplyFault::none;  // the first reply fault that fired
    std::uint64_t huge_body_bytes = 0;
    bool any() const {
        return latency.count() > 0 || error_status != 0 || drop_after_bytes || drop_before_reply ||
               reply != ReplyFault::none;
    }
};

class Faults {
  public:
    explicit Faults(std::uint64_t seed);

    FaultDecision decide(std::string_view endpoint);
    std::uint64_t add(FaultRule r);
    bool remove(std::uint64_t id);
    void clear();
    void reseed(std::uint64_t seed);
    nlohmann::json dump() const;

    std::uint64_t bandwidth() const;
    void set_bandwidth(std::uint64_t bytes_per_s);

  private:
    mutable std::mutex mu_;
    std::vector<FaultRule> rules_;
    std::mt19937_64 rng_;
    std::uint64_t seed_;
    std::uint64_t next_id_ = 1;
    std::uint64_t bandwidth_ = 0;
};

bool endpoint_matches(std::string_view pattern, std::string_view endpoint);
// From JSON ({"kind":"error","status":503,...}); throws std::invalid_argument.
FaultRule fault_rule_from_json(const nlohmann::json& j);
nlohmann::json fault_rule_to_json(const FaultRule& r);
// From a flag: "kind=error,status=503,endpoint=batchCreate,rate=0.5,count=3".
FaultRule parse_fault_spec(std::string_view spec);

}  // namespace gpe
