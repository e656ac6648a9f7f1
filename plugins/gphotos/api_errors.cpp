#include "api_errors.hpp"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

namespace photosync::gphotos {

using sdk::ErrorKind;
using json = nlohmann::json;

std::string clean_text(std::string_view text, std::size_t max) {
    std::string out;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    if (out.size() > max) {
        std::size_t cut = max;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        out.resize(cut);
        out += "...";
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

std::string error_message(const HttpResponse& response) {
    auto parsed = json::parse(response.body, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) {
        auto it = parsed.find("error");
        if (it != parsed.end() && it->is_object()) {
            auto m = it->find("message");
            if (m != it->end() && m->is_string()) {
                return clean_text(m->get<std::string>());
            }
            auto s = it->find("status");
            if (s != it->end() && s->is_string()) {
                return clean_text(s->get<std::string>());
            }
        }
        // OAuth errors: {"error":"invalid_grant","error_description":"..."}
        if (it != parsed.end() && it->is_string()) {
            auto d = parsed.find("error_description");
            std::string text = it->get<std::string>();
            if (d != parsed.end() && d->is_string()) {
                text += ": " + d->get<std::string>();
            }
            return clean_text(text);
        }
    }
    auto content_type = response.header("Content-Type");
    if (content_type.starts_with("text/html") || response.body.empty()) {
        return "HTTP " + std::to_string(response.status);
    }
    return clean_text(response.body, 200);
}

std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response) {
    auto value = response.header("Retry-After");
    if (value.empty()) {
        return std::nullopt;
    }
    if (value.find_first_not_of("0123456789") == std::string::npos && value.size() < 9) {
        return std::chrono::seconds(std::stol(value));
    }
    std::tm tm{};
    if (::strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) != nullptr) {
        // Counted in seconds of time_t: a date past 2262 ("Wed, 21 Oct 2544 ...")
        // overflowed the clock's nanoseconds (found by tests/fuzz/fuzz_api_errors).
        // No longer a wait than the number form allows (8 digits).
        const std::time_t at = ::timegm(&tm);
        const std::time_t now = std::time(nullptr);
        if (at == static_cast<std::time_t>(-1) || at <= now) {
            return std::chrono::milliseconds(0);
        }
        return std::chrono::seconds(std::min<std::time_t>(at - now, 99'999'999));
    }
    return std::nullopt;
}

std::string quota_reset_hint(std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    auto pacific = now - hours(8);
    auto since_midnight = pacific - floor<days>(pacific);
    auto left = duration_cast<minutes>(days(1) - since_midnight);
    auto h = left.count() / 60;
    auto m = left.count() % 60;
    return "the quota resets at midnight Pacific time, in about " + std::to_string(h) + " h " +
           std::to_string(m) + " min";
}

sdk::Error classify_reply(const HttpResponse& response, std::string_view what) {
    const auto status = response.status;
    const std::string prefix = std::string(what) + ": ";
    auto message = error_message(response);
    if (status == 429) {
        if (message.find("per day") != std::string::npos) {
            return sdk::Error{ErrorKind::quota_exhausted,
                              "Google Photos' daily request quota is used up (" + message +
                                  "); nothing is lost: run the same command again later (" +
                                  quota_reset_hint(std::chrono::system_clock::now()) + ")",
                              retry_after(response)};
        }
        return sdk::Error{ErrorKind::rate_limited,
                          prefix + "Google Photos asks to slow down (429: " + message + ")",
                          retry_after(response)};
    }
    if (status >= 500 || status == 408) {
        return sdk::Error{ErrorKind::transient,
                          prefix + "Google Photos had a problem (" + std::to_string(status) + ": " +
                              message + ")",
                          retry_after(response)};
    }
    if (status == 401) {
        return sdk::Error{
            ErrorKind::auth,
            prefix + "Google Photos did not accept the sign-in (" + message + "); " + kLoginHint,
            std::nullopt};
    }
    if (status == 403) {
        bool scopes = message.find("scope") != std::string::npos;
        return sdk::Error{scopes ? ErrorKind::auth : ErrorKind::permission,
                          prefix + "not allowed (" + message + ")" +
                              (scopes ? std::string("; ") + kLoginHint + " to grant access" : ""),
                          std::nullopt};
    }
    if (status == 404) {
        return sdk::Error{ErrorKind::not_found, prefix + "not found (" + message + ")",
                          std::nullopt};
    }
    if (status >= 400) {
        return sdk::Error{
            ErrorKind::invalid_input,
            prefix + "Google Photos refused it (" + std::to_string(status) + ": " + message + ")",
            std::nullopt};
    }
    return sdk::Error{ErrorKind::protocol,
                      prefix + "unexpected reply (HTTP " + std::to_string(status) + ")",
                      std::nullopt};
}

}  // namespace photosync::gphotos
