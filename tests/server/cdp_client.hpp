// A minimal Chrome DevTools Protocol client (WebSocket, blocking, with a
// timeout) for driving headless Chromium in the browser test.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace photosync::test {

class CdpClient {
  public:
    // Connects to ws://127.0.0.1:PORT/PATH (a target's webSocketDebuggerUrl).
    CdpClient(std::uint16_t port, const std::string& path);
    ~CdpClient();
    CdpClient(const CdpClient&) = delete;
    CdpClient& operator=(const CdpClient&) = delete;

    // Sends a command and returns its "result"; throws on a protocol error or timeout.
    nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::object(),
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Evaluates a JavaScript expression in the page and returns its value.
    nlohmann::json evaluate(const std::string& expression);

    // Every event received so far ({"method":..., "params":...}).
    [[nodiscard]] const std::vector<nlohmann::json>& events() const noexcept { return events_; }

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::uint64_t next_id_ = 1;
    std::vector<nlohmann::json> events_;
};

// Decodes standard base64 (as CDP sends screenshots).
std::string base64_decode(const std::string& text);

}  // namespace photosync::test
