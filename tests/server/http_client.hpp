// A small blocking HTTP/1.1 client over real sockets for the server tests:
// one connection per request, a receive timeout so a test never hangs.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace photosync::test {

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    bool closed = false;  // the server closed the connection after this response

    [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
    [[nodiscard]] std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class HttpClient {
  public:
    explicit HttpClient(std::uint16_t port, std::string token = {})
        : port_(port), token_(std::move(token)) {}

    HttpResult get(const std::string& target) const { return request("GET", target); }
    HttpResult post(const std::string& target, const nlohmann::json& body) const {
        return request("POST", target, body.dump());
    }
    HttpResult request(const std::string& method, const std::string& target,
                       const std::string& body = {},
                       const std::vector<std::pair<std::string, std::string>>& headers = {},
                       std::optional<std::string> token = std::nullopt) const;

    // Sends `bytes` as they are on a new connection and reads one response.
    HttpResult raw(const std::string& bytes,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    [[nodiscard]] const std::string& token() const noexcept { return token_; }

  private:
    std::uint16_t port_;
    std::string token_;
};

// A Server-Sent Events stream, read with a deadline.
struct SseEvent {
    std::string id, type, data;
    [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(data); }
};

class SseReader {
  public:
    SseReader(std::uint16_t port, const std::string& token, const std::string& target,
              const std::vector<std::pair<std::string, std::string>>& headers = {});
    ~SseReader();
    SseReader(const SseReader&) = delete;
    SseReader& operator=(const SseReader&) = delete;

    [[nodiscard]] int status() const noexcept { return status_; }
    // Reads events until `done` returns true for one of them or `timeout`
    // passes; every event read is kept in events().
    bool read_until(const std::function<bool(const SseEvent&)>& done,
                    std::chrono::milliseconds timeout);
    [[nodiscard]] const std::vector<SseEvent>& events() const noexcept { return events_; }
    [[nodiscard]] bool closed() const noexcept { return closed_; }

  private:
    void parse_available();
    int fd_ = -1;
    int status_ = 0;
    bool closed_ = false;
    std::string buffer_;
    std::vector<SseEvent> events_;
};

}  // namespace photosync::test
