// A real server on a free loopback port, on a real Engine with the plugins
// of the build tree, over a temporary folder that is its only allowed root.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <thread>

#include "http_client.hpp"
#include "media_files.hpp"
#include "photosync/engine/engine.hpp"
#include "photosync/server/server.hpp"
#include "temp_dir.hpp"

namespace photosync::test {

struct ServerFixture {
    TempDir dir;
    std::unique_ptr<engine::Engine> engine;
    std::unique_ptr<server::Server> server;

    explicit ServerFixture(const std::function<void(server::ServerOptions&)>& tune = {}) {
        start(tune);
    }
    ~ServerFixture() {
        server.reset();  // before the engine whose executor it runs on
        engine.reset();
    }

    void start(const std::function<void(server::ServerOptions&)>& tune = {}) {
        engine::EngineOptions eo;
        eo.plugin_dirs = {PHOTOSYNC_TEST_PLUGIN_DIR};
        eo.standard_plugin_dirs = false;
        eo.state_dir = dir / "state";
        engine = std::make_unique<engine::Engine>(eo);
        server::ServerOptions so;
        so.port = 0;
        so.allowed_roots = {dir.path()};
        so.default_destination = "folder:" + (dir / "albums").string();
        if (tune) {
            tune(so);
        }
        auto started = server::Server::start(*engine, so);
        if (!started) {
            FAIL("server did not start: " << started.error().message);
        }
        server = std::move(*started);
    }

    [[nodiscard]] std::uint16_t port() const { return server->local_endpoint().port(); }
    [[nodiscard]] HttpClient client() const { return HttpClient(port(), server->token()); }

    // A folder of `count` photos and videos (jpeg, png, mp4 in turn) under the root.
    std::filesystem::path make_photos(const std::string& name, int count, std::size_t size = 20000,
                                      std::uint64_t seed = 1) {
        auto folder = dir / name;
        std::filesystem::create_directories(folder / "sub");
        for (int i = 0; i < count; ++i) {
            auto kind = i % 3 == 0 ? Fake::jpeg : i % 3 == 1 ? Fake::png : Fake::mp4;
            const char* ext = i % 3 == 0 ? ".jpg" : i % 3 == 1 ? ".png" : ".mp4";
            auto where =
                (i % 2 == 0 ? folder : folder / "sub") / ("IMG_" + std::to_string(i) + ext);
            write_media(where, kind, size + static_cast<std::size_t>(i) * 97, seed * 1000 + i);
        }
        return folder;
    }

    // Polls GET /api/jobs/{id} until the job has ended.
    nlohmann::json wait_job(std::uint64_t id,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60)) const {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        auto c = client();
        for (;;) {
            auto r = c.get("/api/jobs/" + std::to_string(id));
            REQUIRE(r.status == 200);
            auto j = r.json();
            auto state = j["state"].get<std::string>();
            if (state != "pending" && state != "running" && !j["finished_at"].is_null()) {
                return j;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                FAIL("job " << id << " still " << state << " after the timeout: " << j.dump());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
};

// Every regular file under `folder`, by path relative to it, with its content.
inline std::map<std::string, std::string> files_under(const std::filesystem::path& folder) {
    std::map<std::string, std::string> out;
    if (!std::filesystem::exists(folder)) {
        return out;
    }
    for (const auto& e : std::filesystem::recursive_directory_iterator(folder)) {
        if (e.is_regular_file()) {
            out[std::filesystem::relative(e.path(), folder).string()] = read_file(e.path());
        }
    }
    return out;
}

// The album a folder destination made: file name -> content (names are flat there).
inline std::map<std::string, std::string> album_contents(const std::filesystem::path& album) {
    std::map<std::string, std::string> out;
    for (const auto& [rel, content] : files_under(album)) {
        out[std::filesystem::path(rel).filename().string()] = content;
    }
    return out;
}

inline std::map<std::string, std::string> source_by_name(const std::filesystem::path& folder) {
    std::map<std::string, std::string> out;
    for (const auto& [rel, content] : files_under(folder)) {
        out[std::filesystem::path(rel).filename().string()] = content;
    }
    return out;
}

}  // namespace photosync::test
