// The gphotos plugin (loaded through Boost.DLL) against the real emulator over
// HTTPS with certificate verification on, signed in through the real loopback
// OAuth flow with curl as the browser.
#pragma once

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "emulator_client.hpp"
#include "emulator_process.hpp"
#include "plugin_harness.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace photosync::test {

using json = nlohmann::json;

struct GphotosFixture {
    explicit GphotosFixture(const std::vector<std::string>& emulator_args = {},
                            const std::map<std::string, std::string>& extra_options = {})
        : emu(PHOTOSYNC_TEST_EMULATOR, emulator_args) {
        config.options = {{"api_url", emu.base_url()},
                          {"ca_file", emu.ca_file().string()},
                          {"client_secret", emu.client_secret_file().string()},
                          // Google's client_secret.json names no revocation endpoint.
                          {"revoke_url", emu.base_url() + "/revoke"}};
        for (const auto& [k, v] : extra_options) {
            config.options.insert_or_assign(k, v);
        }
    }

    // Options as `-o KEY=VALUE` flags for the CLI.
    std::vector<std::string> cli_options() const {
        std::vector<std::string> out;
        for (const auto& [k, v] : config.options) {
            out.push_back("-o");
            out.push_back(k + "=" + v);
        }
        return out;
    }

    std::filesystem::path plugin_state() const { return state.path() / "plugins" / "gphotos"; }

    std::shared_ptr<sdk::Destination> destination() {
        auto d = h.registry.make_destination("gphotos", h.context(plugin_state()), config);
        REQUIRE(d);
        return *d;
    }

    std::shared_ptr<sdk::Authenticator> authenticator() {
        auto a = h.registry.make_authenticator("gphotos", h.context(plugin_state()), config);
        REQUIRE(a);
        return *a;
    }

    // The real login: the prompt's URL is fetched by curl (the emulator
    // auto-approves and redirects to the plugin's 127.0.0.1 listener).
    sdk::Result<std::string> login() {
        auto auth = authenticator();
        CurlBrowser browser(emu.ca_file().string());
        return h.run(auth->login(browser.prompt(&opened_url)));
    }

    json control(const std::string& method, const std::string& path, const json& body = {}) {
        return emulator_control(emu, method, path, body);
    }

    json stats() { return control("GET", "/__emulator/stats"); }

    static int requests(const json& stats, const std::string& endpoint) {
        auto it = stats["endpoints"].find(endpoint);
        return it == stats["endpoints"].end() ? 0 : (*it)["requests"].get<int>();
    }

    static int with_status(const json& stats, const std::string& endpoint, const std::string& s) {
        auto it = stats["endpoints"].find(endpoint);
        if (it == stats["endpoints"].end()) {
            return 0;
        }
        return (*it)["by_status"].value(s, 0);
    }

    void inject(const json& rule) { (void)control("POST", "/__emulator/faults", rule); }

    // Nothing secret in what the plugin logged or said.
    void check_no_secrets(const std::string& text) {
        INFO(text);
        CHECK(text.find("GOCSPX") == std::string::npos);  // the client secret
        CHECK(text.find("ya29.") == std::string::npos);   // access tokens
        CHECK(text.find("1//") == std::string::npos);     // refresh tokens
    }
    void check_log_has_no_secrets() {
        for (const auto& line : h.log.lines()) {
            check_no_secrets(line);
        }
    }

    EmulatorProcess emu;
    PluginHarness h;
    TempDir state;
    sdk::PluginConfig config;
    std::string opened_url;
};

inline unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

}  // namespace photosync::test
