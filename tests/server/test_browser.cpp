// End to end in headless Chromium: open the page with the token, start a
// sync through the form, watch the progress reach 100%, keep screenshots
// (PHOTOSYNC_TEST_ARTIFACT_DIR), and check the album holds the files.
// Chromium is required: without it the test fails and says so.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#include "cdp_client.hpp"
#include "child_process.hpp"
#include "server_fixture.hpp"

using namespace photosync::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::filesystem::path find_chromium() {
    if (const char* env = std::getenv("PHOTOSYNC_CHROMIUM"); env != nullptr && *env != '\0') {
        return env;
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    for (const char* name : {"chromium", "chromium-browser", "google-chrome", "chrome"}) {
        std::size_t start = 0;
        while (start <= dirs.size()) {
            auto end = dirs.find(':', start);
            auto dir =
                dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
            auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
            if (::access(candidate.c_str(), X_OK) == 0) {
                return candidate;
            }
            if (end == std::string::npos) {
                break;
            }
            start = end + 1;
        }
    }
    return {};
}

std::string js_string(const std::string& s) {
    return json(s).dump();
}

// Polls `expression` until it returns `want` (as a string) or the timeout passes.
std::string wait_for_page(CdpClient& cdp, const std::string& expression, const std::string& want,
                          std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last;
    while (std::chrono::steady_clock::now() < deadline) {
        auto v = cdp.evaluate(expression);
        last = v.is_string() ? v.get<std::string>() : v.dump();
        if (last == want) {
            return last;
        }
        std::this_thread::sleep_for(100ms);
    }
    return last;
}

void save_screenshot(CdpClient& cdp, const std::filesystem::path& file) {
    auto shot =
        cdp.call("Page.captureScreenshot", {{"format", "png"}, {"captureBeyondViewport", false}});
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << base64_decode(shot["data"].get<std::string>());
    REQUIRE(std::filesystem::file_size(file) > 1000);
}

}  // namespace

TEST_CASE("in headless Chromium the page starts a sync and shows it reach 100%") {
    auto chromium = find_chromium();
    if (chromium.empty()) {
        FAIL(
            "Chromium is not installed: the browser test needs it (Debian: apt-get install "
            "chromium; tools/setup installs it), or set PHOTOSYNC_CHROMIUM to a Chrome binary");
    }
    ServerFixture f;
    auto photos = f.make_photos("Pictures/Lisbon 2026", 36, 150000);
    auto broken = f.make_photos("Pictures/Scans", 5, 40000, 7);
    write_media(broken / "receipt.jpg", Fake::text, 3000, 3);  // not a photo
    auto out = f.dir / "albums";

    TempDir profile;
    ChildProcess browser(
        chromium,
        {"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--no-default-browser-check",
         "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         "--user-data-dir=" + profile.path().string(), "--window-size=1280,900", "about:blank"});
    if (!browser.wait_for_output("DevTools listening on ws://", 60s)) {
        FAIL("Chromium did not start (" << chromium << "):\n" << browser.output());
    }
    std::smatch m;
    auto log = browser.output();
    REQUIRE(std::regex_search(log, m, std::regex(R"(ws://127\.0\.0\.1:(\d+)/)")));
    auto devtools_port = static_cast<std::uint16_t>(std::stoi(m[1]));
    std::string page_ws;
    for (int i = 0; i < 50 && page_ws.empty(); ++i) {
        auto targets = HttpClient(devtools_port).get("/json/list");
        if (targets.status == 200) {
            for (const auto& t : targets.json()) {
                if (t["type"] == "page") {
                    page_ws = t["webSocketDebuggerUrl"].get<std::string>();
                    break;
                }
            }
        }
        if (page_ws.empty()) {
            std::this_thread::sleep_for(100ms);
        }
    }
    REQUIRE_FALSE(page_ws.empty());
    auto path = page_ws.substr(page_ws.find('/', std::string("ws://").size()));
    CdpClient cdp(devtools_port, path);
    cdp.call("Runtime.enable");
    cdp.call("Page.enable");
    cdp.call("Emulation.setDeviceMetricsOverride",
             {{"width", 1280}, {"height", 900}, {"deviceScaleFactor", 1}, {"mobile", false}});

    // The URL the server prints: the token rides in the fragment.
    cdp.call("Page.navigate", {{"url", f.server->url_with_token()}});
    REQUIRE(wait_for_page(cdp, "String(document.body && document.body.dataset.ready === '1')",
                          "true", 20s) == "true");
    // The token left the address bar and went to local storage.
    CHECK(cdp.evaluate("location.hash").get<std::string>().empty());

    // The form as a person fills it: folder, album, a folder destination, Start.
    auto fill = [&](const std::string& folder, const std::string& album) {
        cdp.evaluate(
            "(() => {"
            "  const set = (id, v) => { const e = document.getElementById(id); e.value = v;"
            "    e.dispatchEvent(new Event('input', {bubbles: true}));"
            "    e.dispatchEvent(new Event('change', {bubbles: true})); };"
            "  set('folder', " +
            js_string(folder) +
            ");"
            "  set('album', " +
            js_string(album) +
            ");"
            "  set('destination', 'folder');"
            "  set('location', " +
            js_string(out.string()) +
            ");"
            "  document.getElementById('start-button').click();"
            "  return true; })()");
    };
    fill(broken.string(), "Scans");
    REQUIRE(wait_for_page(cdp,
                          "(() => { const c = document.querySelector('.job'); return c ? "
                          "c.querySelector('.badge').textContent : ''; })()",
                          "Done with errors", 30s) == "Done with errors");
    fill(photos.string(), "Lisbon 2026");
    auto progress_of_newest =
        "(() => { const c = document.querySelector('.job'); if (!c || "
        "!c.querySelector('.job-album').textContent.startsWith('Lisbon')) return ''; "
        "return c.querySelector('.percent').textContent + ' ' + "
        "c.querySelector('.badge').textContent; })()";
    auto seen = wait_for_page(cdp, progress_of_newest, "100% Done", 60s);
    REQUIRE(seen == "100% Done");
    CHECK(cdp.evaluate("document.querySelector('.job .bar').getAttribute('aria-valuenow')") ==
          "100");
    CHECK(cdp.evaluate("document.querySelector('.job .files').textContent") == "36 of 36 files");
    // The failed item is listed on the other job, with its message.
    CHECK(cdp.evaluate("document.querySelectorAll('.job')[1].querySelector('.failure-path')"
                       ".textContent") == "receipt.jpg");
    // The albums table caught up with both runs.
    CHECK(wait_for_page(cdp, "String(document.querySelectorAll('#album-rows tr').length)", "2",
                        10s) == "2");
    std::this_thread::sleep_for(600ms);  // let the bar's transition settle for the picture

    std::filesystem::path artifacts = PHOTOSYNC_TEST_ARTIFACT_DIR;
    save_screenshot(cdp, artifacts / "server-page.png");
    cdp.call("Emulation.setDeviceMetricsOverride",
             {{"width", 390}, {"height", 844}, {"deviceScaleFactor", 2}, {"mobile", true}});
    cdp.evaluate("window.scrollTo(0, document.querySelector('.jobs').offsetTop - 8)");
    std::this_thread::sleep_for(300ms);
    save_screenshot(cdp, artifacts / "server-page-phone.png");

    // No script error on the page at any time.
    for (const auto& e : cdp.events()) {
        INFO(e.dump());
        CHECK(e["method"] != "Runtime.exceptionThrown");
        if (e["method"] == "Runtime.consoleAPICalled") {
            CHECK(e["params"]["type"] != "error");
        }
    }
    // And the album holds the files, byte for byte.
    CHECK(album_contents(out / "Lisbon 2026") == source_by_name(photos));
    CHECK(album_contents(out / "Scans").size() == 5);
}
