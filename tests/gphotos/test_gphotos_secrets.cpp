// Security checks of a whole run (issue 10): everything a run writes — the
// output and the -vv debug log of `photosync auth login`, of a sync through a
// token refresh, retries, a resumed upload and a failed item, of `photosync
// serve` running REST jobs (one of them with a revoked sign-in), of logout,
// the server's API replies and event stream, and every file left in the
// state dir — is searched for the access tokens, the refresh tokens and the
// client secret by their exact values: the emulator issued them and hands
// them over (its state file), so nothing is guessed from their shape. The
// sign-in file is 0600 in a 0700 folder and holds the refresh token only;
// the server binds to loopback when given a port alone.
#include <signal.h>

#include <fstream>
#include <random>
#include <sstream>

#include "child_process.hpp"
#include "gphotos_cli.hpp"
#include "http_client.hpp"

using namespace photosync;
using namespace photosync::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string random_text(std::size_t n) {
    static constexpr char kChars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += kChars[rd() % (sizeof kChars - 1)];
    }
    return s;
}

// Every secret the emulator handed out during the run, by exact value.
struct Secrets {
    std::string client_secret;
    std::set<std::string> access_tokens;
    std::set<std::string> refresh_tokens;

    // The emulator writes every grant and access token to its state file on
    // request. Revoking a grant forgets its access tokens: call this before.
    void harvest(GphotosFixture& f, const fs::path& emulator_state) {
        (void)f.control("POST", "/__emulator/save");
        auto doc = json::parse(read_file(emulator_state));
        for (const auto& g : doc.at("oauth").at("grants")) {
            refresh_tokens.insert(g.at("refresh_token").get<std::string>());
        }
        for (const auto& a : doc.at("oauth").at("access_tokens")) {
            access_tokens.insert(a.at("token").get<std::string>());
        }
    }

    // What of a secret `text` holds, or "" when it holds none: the whole
    // value, or its first or last 24 characters (a shortened token is still
    // one). Authorization codes are looked for by Google's shape.
    [[nodiscard]] std::string leak_in(const std::string& text) const {
        auto holds = [&](const std::string& secret) {
            return text.find(secret) != std::string::npos ||
                   text.find(secret.substr(0, 24)) != std::string::npos ||
                   text.find(secret.substr(secret.size() - 24)) != std::string::npos;
        };
        if (holds(client_secret)) {
            return "the client secret";
        }
        for (const auto& t : access_tokens) {
            if (holds(t)) {
                return "an access token (" + t.substr(0, 12) + "...)";
            }
        }
        for (const auto& t : refresh_tokens) {
            if (holds(t)) {
                return "a refresh token (" + t.substr(0, 8) + "...)";
            }
        }
        if (text.find("4/0A") != std::string::npos) {
            return "an authorization code";
        }
        return {};
    }
};

// Everything a run wrote, by where it came from.
struct Transcript {
    std::vector<std::pair<std::string, std::string>> parts;
    void add(std::string where, std::string text) {
        parts.emplace_back(std::move(where), std::move(text));
    }
    void add(const std::string& what, const ProcessResult& r) {
        add(what + " (stdout)", r.out);
        add(what + " (stderr)", r.err);
    }
};

// The local addresses (hex, as the kernel shows them) of every TCP socket
// listening on `port`, IPv4 and IPv6.
std::set<std::string> listening_on(std::uint16_t port) {
    std::set<std::string> out;
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, ":%04X", port);
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // the header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state;
            fields >> slot >> local >> remote >> state;
            if (state == "0A" && local.ends_with(suffix)) {  // 0A: LISTEN
                out.insert(local.substr(0, local.size() - 5));
            }
        }
    }
    return out;
}

void check_owner_only(const fs::path& file, unsigned mode = 0600) {
    INFO(file.string());
    CHECK(mode_of(file) == mode);
}

}  // namespace

TEST_CASE("no token and no client secret in any log, output or file of a full run at debug level") {
    TempDir emu_dir;
    const auto emulator_state = emu_dir / "state.json";
    Secrets secrets;
    secrets.client_secret = "test-client-secret-" + random_text(24);  // not Google's GOCSPX- shape
    GphotosFixture f(
        {"--client-secret", secrets.client_secret, "--state", emulator_state.string()});
    Cli cli(f);
    const auto logs = cli.home / "logs";  // not there yet: the first log file makes it
    const auto state = cli.home / "state" / "photosync";
    const auto credentials = state / "plugins" / "gphotos" / "credentials.json";
    Transcript t;
    auto run = [&](const std::string& what, std::vector<std::string> args, int expected_exit) {
        auto log = logs / (what + ".log");
        args.insert(args.begin(), {"-vv", "--log-file", log.string()});
        auto r = cli.run(std::move(args));
        INFO(what << ":\n" << r.out << r.err);
        CHECK(r.exit_code == expected_exit);
        t.add(what, r);
        return r;
    };

    // 1. Sign in, then a sync that renews its token after a 401, retries 503s
    // (an upload and a batchCreate), resumes a cut resumable upload and
    // reports an item Google refuses.
    run("auth-login", {"auth", "login"}, 0);
    check_owner_only(logs, 0700);
    REQUIRE(fs::exists(credentials));
    check_owner_only(credentials);
    check_owner_only(credentials.parent_path(), 0700);
    TempDir folder;
    photos(folder.path(), 0, 30);
    write_media(folder / "notes.mmv", Fake::text, 500, 1);
    write_media(folder / "big.mp4", Fake::mp4, 21 << 20, 2);  // resumable (over 20 MiB)
    f.inject({{"kind", "error"}, {"status", 401}, {"endpoint", "albums"}, {"count", 1}});
    f.inject({{"kind", "error"}, {"status", 503}, {"endpoint", "uploads.raw"}, {"count", 2}});
    f.inject({{"kind", "error"}, {"status", 503}, {"endpoint", "batchCreate"}, {"count", 1}});
    f.inject({{"kind", "drop_mid_upload"},
              {"endpoint", "uploads.upload"},
              {"after_bytes", 4 << 20},
              {"count", 1}});
    run("sync", {"sync", folder.path().string(), "Secrets", "--jobs", "4"}, 1);
    {
        std::ofstream(logs / "auth-status.log") << "an older log, open to everyone\n";
        fs::permissions(logs / "auth-status.log", fs::perms(0644));
    }
    run("auth-status", {"auth", "status"}, 0);  // the log it appends to is 0600 then
    auto s = f.stats();
    CHECK(GphotosFixture::with_status(s, "albums.list", "401") +
              GphotosFixture::with_status(s, "albums.get", "401") ==
          1);
    CHECK(GphotosFixture::with_status(s, "uploads.raw", "503") == 2);
    CHECK(GphotosFixture::with_status(s, "mediaItems.batchCreate", "503") == 1);
    CHECK(dropped(s, "uploads.upload") == 1);
    auto sync_log = read_file(logs / "sync.log");
    // The log really is at debug level and saw what the checks are about.
    CHECK_THAT(sync_log, Catch::Contains(" debug ") && Catch::Contains("access token renewed") &&
                             Catch::Contains("-> 401") && Catch::Contains("resuming at byte") &&
                             Catch::Contains("notes.mmv"));
    CHECK(the_album(f, "Secrets")["mediaItemIds"].size() == 31);

    // 2. `photosync serve` with Google Photos as its destination: a REST job
    // succeeds, then (sign-in revoked) one fails. Given a port alone, it
    // listens on loopback.
    fs::create_directories(cli.home / "config" / "photosync");
    {
        std::ofstream config(cli.home / "config" / "photosync" / "config.toml");
        config << "[plugins.gphotos]\n";
        for (const auto& [k, v] : f.config.options) {
            config << k << " = " << json(v).dump() << "\n";
        }
    }
    std::map<std::string, std::string> env{{"HOME", cli.home.path().string()},
                                           {"XDG_STATE_HOME", (cli.home / "state").string()},
                                           {"XDG_CONFIG_HOME", (cli.home / "config").string()}};
    std::string server_token;
    {
        ChildProcess serve(PHOTOSYNC_TEST_CLI,
                           {"-vv", "--log-file", (logs / "serve.log").string(), "serve", "--listen",
                            "0", "--allow-root", folder.path().string()},
                           env);
        REQUIRE(serve.wait_for_output("#token=", 30s));
        REQUIRE(serve.wait_for_output("folders allowed under", 5s));
        auto banner = serve.output();
        INFO(banner);
        auto at = banner.find("open http://127.0.0.1:");
        REQUIRE(at != std::string::npos);
        auto port_at = at + std::string("open http://127.0.0.1:").size();
        auto port = static_cast<std::uint16_t>(std::stoi(banner.substr(port_at)));
        auto token_at = banner.find("#token=", port_at) + 7;
        server_token = banner.substr(token_at, banner.find('\n', token_at) - token_at);
        REQUIRE(server_token.size() == 43);
        // Bound to 127.0.0.1 itself, not to every interface.
        CHECK(listening_on(port) == std::set<std::string>{"0100007F"});
        check_owner_only(state / "server-token");

        HttpClient api(port, server_token);
        SseReader events(port, server_token, "/api/events");
        REQUIRE(events.status() == 200);
        auto created = api.post(
            "/api/jobs",
            {{"folder", folder.path().string()}, {"album", "Secrets via REST"}, {"jobs", 4}});
        REQUIRE(created.status == 201);
        auto id = created.json()["id"].get<std::uint64_t>();
        auto finished = [&](const SseEvent& e) {
            return e.type == "job" && e.json()["id"] == id && !e.json()["finished_at"].is_null();
        };
        REQUIRE(events.read_until(finished, 120s));
        auto done = api.get("/api/jobs/" + std::to_string(id));
        CHECK(done.json()["state"] == "partially_failed");  // notes.mmv
        t.add("GET /api/jobs/{id} (succeeded)", done.body);
        t.add("GET /api/jobs", api.get("/api/jobs").body);
        t.add("GET /api/albums", api.get("/api/albums").body);
        t.add("GET /api/server", api.get("/api/server").body);
        t.add("GET /api/plugins", api.get("/api/plugins").body);

        secrets.harvest(f, emulator_state);  // revoking forgets the access tokens
        (void)f.control("POST", "/__emulator/oauth/revoke", {{"all", true}});
        write_media(folder / "after-revoke.jpg", Fake::jpeg, 4000, 3);
        auto refused = api.post(
            "/api/jobs", {{"folder", folder.path().string()}, {"album", "Secrets via REST"}});
        REQUIRE(refused.status == 201);
        auto refused_id = refused.json()["id"].get<std::uint64_t>();
        auto failed = api.get("/api/jobs/" + std::to_string(refused_id));
        for (int i = 0; i < 600 && failed.json()["finished_at"].is_null(); ++i) {
            std::this_thread::sleep_for(50ms);
            failed = api.get("/api/jobs/" + std::to_string(refused_id));
        }
        CHECK(failed.json()["state"] == "failed");
        CHECK(failed.json()["error"]["kind"] == "auth");
        t.add("GET /api/jobs/{id} (revoked)", failed.body);
        for (const auto& e : events.events()) {
            t.add("GET /api/events: " + e.type, e.data);
        }
        serve.signal(SIGTERM);
        CHECK(serve.wait(30s) == 0);
        auto out = serve.output();
        // The server's own token is shown once, in the line to open; never logged.
        CHECK(out.find(server_token) == out.rfind(server_token));
        t.add("photosync serve (stdout and stderr)", out);
    }
    auto serve_log = read_file(logs / "serve.log");
    CHECK_THAT(serve_log, Catch::Contains("access token renewed"));
    CHECK(serve_log.find(server_token) == std::string::npos);

    // 3. The CLI with the revoked sign-in, then a new sign-in, and logout.
    auto revoked = run("sync-revoked", {"sync", folder.path().string(), "Secrets"}, 3);
    CHECK_THAT(revoked.err, Catch::Contains("photosync auth login"));
    run("auth-login-again", {"auth", "login"}, 0);
    secrets.harvest(f, emulator_state);
    auto stored = read_file(credentials);
    check_owner_only(credentials);
    // The sign-in file holds the live refresh token, and nothing else secret.
    auto live = f.control("GET", "/__emulator/oauth")["grants"];
    std::string live_refresh;
    for (const auto& g : live) {
        live_refresh = g["alive"] == true ? g["refresh_token"].get<std::string>() : live_refresh;
    }
    CHECK_THAT(stored, Catch::Contains(live_refresh));
    CHECK_THAT(secrets.leak_in(stored), Catch::StartsWith("a refresh token"));  // found where it is
    CHECK(stored.find(secrets.client_secret) == std::string::npos);
    for (const auto& a : secrets.access_tokens) {
        CHECK(stored.find(a) == std::string::npos);
    }
    run("auth-logout", {"auth", "logout"}, 0);
    CHECK_FALSE(fs::exists(credentials));

    // Every log file (0600, and the folder made for them), and every file
    // left in the state dir: the ledger, its journal, the server's token.
    for (const auto& e : fs::recursive_directory_iterator(cli.home.path())) {
        if (!e.is_regular_file() || e.path().filename() == "browser.sh") {
            continue;
        }
        if (e.path().parent_path() == logs) {
            check_owner_only(e.path());
        }
        t.add(fs::relative(e.path(), cli.home.path()).string(), read_file(e.path()));
    }

    // The search means something: it knows the run's secrets and finds them.
    CHECK(secrets.refresh_tokens.size() >= 2);  // two sign-ins
    CHECK(secrets.access_tokens.size() >= 5);   // logins, runs, the renewal after a 401
    REQUIRE_FALSE(secrets.leak_in("x" + *secrets.access_tokens.begin() + "x").empty());
    REQUIRE_FALSE(secrets.leak_in(secrets.refresh_tokens.begin()->substr(0, 30)).empty());
    REQUIRE_FALSE(secrets.leak_in(secrets.client_secret).empty());
    CHECK(t.parts.size() >= 25);
    for (const auto& [where, text] : t.parts) {
        INFO(where);
        CHECK(secrets.leak_in(text) == "");
    }
}
