// What a test does with a running EmulatorProcess besides starting it: a
// control call that must succeed, and curl playing the browser of a sign-in.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "emulator_process.hpp"
#include "photosync/sdk/authenticator.hpp"
#include "process.hpp"

namespace photosync::test {

// A control call (/__emulator/...) that must answer 200; its JSON reply.
inline nlohmann::json emulator_control(const EmulatorProcess& emu, const std::string& method,
                                       const std::string& path, const nlohmann::json& body = {}) {
    auto reply = emu.control(method, path, body.is_null() ? std::string() : body.dump());
    INFO(path << " -> " << reply.status << " " << reply.body);
    REQUIRE(reply.status == 200);
    return nlohmann::json::parse(reply.body);
}

// Opens the sign-in address with curl (the emulator approves and redirects to
// the plugin's loopback listener). Joins the browser when it goes out of scope.
class CurlBrowser {
  public:
    explicit CurlBrowser(std::string ca_file) : ca_file_(std::move(ca_file)) {}
    ~CurlBrowser() {
        if (browser_.joinable()) {
            browser_.join();
        }
    }
    CurlBrowser(const CurlBrowser&) = delete;
    CurlBrowser& operator=(const CurlBrowser&) = delete;

    // `opened` (optional) receives the address that was opened.
    sdk::LoginPrompt prompt(std::string* opened = nullptr) {
        return sdk::LoginPrompt{[this, opened](const std::string& url) {
            if (opened != nullptr) {
                *opened = url;
            }
            browser_ = std::thread([url, ca = ca_file_] {
                (void)run_process("/usr/bin/curl", {"-s", "-L", "--cacert", ca, url});
            });
        }};
    }

  private:
    std::string ca_file_;
    std::thread browser_;
};

}  // namespace photosync::test
