#include "faults.hpp"

#include <stdexcept>

#include "http_util.hpp"

namespace gpe {

using nlohmann::json;

namespace {

FaultKind kind_from_string(std::string_view s) {
    if (s == "error")
        return FaultKind::error;
    if (s == "latency")
        return FaultKind::latency;
    if (s == "drop_mid_upload" || s == "drop-mid-upload")
        return FaultKind::drop_mid_upload;
    if (s == "drop_before_reply" || s == "drop-before-reply" || s == "lost_response")
        return FaultKind::drop_before_reply;
    if (s == "malformed_json" || s == "malformed-json")
        return FaultKind::malformed_json;
    if (s == "truncated_body" || s == "truncated-body")
        return FaultKind::truncated_body;
    if (s == "wrong_content_type" || s == "wrong-content-type")
        return FaultKind::wrong_content_type;
    if (s == "huge_body" || s == "huge-body")
        return FaultKind::huge_body;
    throw std::invalid_argument("unknown fault kind: " + std::string(s));
}

std::string_view kind_to_string(FaultKind k) {
    switch (k) {
        case FaultKind::error:
            return "error";
        case FaultKind::latency:
            return "latency";
        case FaultKind::drop_mid_upload:
            return "drop_mid_upload";
        case FaultKind::drop_before_reply:
            return "drop_before_reply";
        case FaultKind::malformed_json:
            return "malformed_json";
        case FaultKind::truncated_body:
            return "truncated_body";
        case FaultKind::wrong_content_type:
            return "wrong_content_type";
        case FaultKind::huge_body:
            return "huge_body";
    }
    return "error";
}

bool is_reply_fault(FaultKind k) {
    return k == FaultKind::malformed_json || k == FaultKind::truncated_body ||
           k == FaultKind::wrong_content_type || k == FaultKind::huge_body;
}

std::uint64_t random_seed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) | rd();
}

}  // namespace

bool endpoint_matches(std::string_view pattern, std::string_view endpoint) {
    if (pattern.empty() || pattern == "*" || pattern == endpoint)
        return true;
    // "uploads" matches "uploads.raw"; "batchCreate" matches "mediaItems.batchCreate".
    if (endpoint.starts_with(pattern) && endpoint.size() > pattern.size() &&
        endpoint[pattern.size()] == '.')
        return true;
    if (endpoint.ends_with(pattern) && endpoint.size() > pattern.size() &&
        endpoint[endpoint.size() - pattern.size() - 1] == '.')
        return true;
    return false;
}

Faults::Faults(std::uint64_t seed) : seed_(seed ? seed : random_seed()) {
    rng_.seed(seed_);
}

FaultDecision Faults::decide(std::string_view endpoint) {
    FaultDecision d;
    std::lock_guard lock(mu_);
    for (auto& r : rules_) {
        if (!endpoint_matches(r.endpoint, endpoint))
            continue;
        if (r.kind == FaultKind::error && d.error_status != 0)
            continue;
        if (is_reply_fault(r.kind) && d.reply != ReplyFault::none)
            continue;
        ++r.matched;
        if (r.matched <= r.skip)
            continue;
        if (r.count >= 0 && r.fired >= static_cast<std::uint64_t>(r.count))
            continue;
        if (r.rate < 1.0) {
            std::uniform_real_distribution<double> u(0.0, 1.0);
            if (u(rng_) >= r.rate)
                continue;
        }
        ++r.fired;
        switch (r.kind) {
            case FaultKind::error:
                d.error_status = r.status;
                break;
            case FaultKind::latency:
                d.latency += std::chrono::milliseconds(r.latency_ms);
                break;
            case FaultKind::drop_mid_upload:
                d.drop_after_bytes = d.drop_after_bytes
                                         ? std::min(*d.drop_after_bytes, r.after_bytes)
                                         : r.after_bytes;
                break;
            case FaultKind::drop_before_reply:
                d.drop_before_reply = true;
                break;
            case FaultKind::malformed_json:
                d.reply = ReplyFault::malformed_json;
                break;
            case FaultKind::truncated_body:
                d.reply = ReplyFault::truncated_body;
                break;
            case FaultKind::wrong_content_type:
                d.reply = ReplyFault::wrong_content_type;
                break;
            case FaultKind::huge_body:
                d.reply = ReplyFault::huge_body;
                d.huge_body_bytes = r.body_bytes;
                break;
        }
    }
    return d;
}

std::uint64_t Faults::add(FaultRule r) {
    std::lock_guard lock(mu_);
    r.id = next_id_++;
    r.matched = r.fired = 0;
    rules_.push_back(r);
    return r.id;
}

bool Faults::remove(std::uint64_t id) {
    std::lock_guard lock(mu_);
    return std::erase_if(rules_, [&](const FaultRule& r) { return r.id == id; }) > 0;
}

void Faults::clear() {
    std::lock_guard lock(mu_);
    rules_.clear();
    bandwidth_ = 0;
}

void Faults::reseed(std::uint64_t seed) {
    std::lock_guard lock(mu_);
    seed_ = seed ? seed : random_seed();
    rng_.seed(seed_);
}

json Faults::dump() const {
    std::lock_guard lock(mu_);
    json rules = json::array();
    for (const auto& r : rules_)
        rules.push_back(fault_rule_to_json(r));
    return {{"seed", seed_}, {"bandwidth_bytes_per_s", bandwidth_}, {"rules", rules}};
}

std::uint64_t Faults::bandwidth() const {
    std::lock_guard lock(mu_);
    return bandwidth_;
}

void Faults::set_bandwidth(std::uint64_t b) {
    std::lock_guard lock(mu_);
    bandwidth_ = b;
}

FaultRule fault_rule_from_json(const json& j) {
    if (!j.is_object())
        throw std::invalid_argument("fault rule must be an object");
    FaultRule r;
    for (auto& [k, v] : j.items()) {
        if (k == "kind")
            r.kind = kind_from_string(v.get<std::string>());
        else if (k == "endpoint")
            r.endpoint = v.get<std::string>();
        else if (k == "status")
            r.status = v.get<int>();
        else if (k == "rate")
            r.rate = v.get<double>();
        else if (k == "count")
            r.count = v.get<std::int64_t>();
        else if (k == "skip")
            r.skip = v.get<std::uint64_t>();
        else if (k == "latency_ms")
            r.latency_ms = v.get<std::uint64_t>();
        else if (k == "after_bytes")
            r.after_bytes = v.get<std::uint64_t>();
        else if (k == "body_bytes")
            r.body_bytes = v.get<std::uint64_t>();
        else if (k != "id" && k != "matched" && k != "fired")
            throw std::invalid_argument("unknown fault field: " + k);
    }
    if (r.kind == FaultKind::error && (r.status < 400 || r.status > 599))
        throw std::invalid_argument("error faults need a 4xx/5xx status");
    if (r.rate < 0.0 || r.rate > 1.0)
        throw std::invalid_argument("rate must be within [0,1]");
    if (r.kind == FaultKind::huge_body && r.body_bytes > (std::uint64_t{1} << 40))
        throw std::invalid_argument("body_bytes must be at most 1 TiB");
    return r;
}

json fault_rule_to_json(const FaultRule& r) {
    return {{"id", r.id},
            {"kind", kind_to_string(r.kind)},
            {"endpoint", r.endpoint},
            {"status", r.status},
            {"rate", r.rate},
            {"count", r.count},
            {"skip", r.skip},
            {"latency_ms", r.latency_ms},
            {"after_bytes", r.after_bytes},
            {"body_bytes", r.body_bytes},
            {"matched", r.matched},
            {"fired", r.fired}};
}

FaultRule parse_fault_spec(std::string_view spec) {
    json j = json::object();
    for (const auto& part : split(spec, ',')) {
        if (part.empty())
            continue;
        const auto eq = part.find('=');
        if (eq == std::string::npos)
            throw std::invalid_argument("fault spec items are key=value: " + part);
        const std::string k = part.substr(0, eq), v = part.substr(eq + 1);
        if (k == "kind" || k == "endpoint") {
            j[k] = v;
        } else if (k == "rate") {
            j[k] = std::stod(v);
        } else {
            const auto n = parse_i64(v);
            if (!n)
                throw std::invalid_argument("not a number: " + part);
            j[k] = *n;
        }
    }
    return fault_rule_from_json(j);
}

}  // namespace gpe
