// The server's parts on their own: --listen parsing, the token check, the
// path policy, the event ring.
#include <catch2/catch.hpp>
#include <fstream>

#include "access_token.hpp"
#include "event_hub.hpp"
#include "path_policy.hpp"
#include "photosync/server/server.hpp"
#include "temp_dir.hpp"

using namespace photosync;
using namespace photosync::server;

TEST_CASE("the listen address is ADDRESS:PORT or PORT, loopback by default") {
    ServerOptions o;
    REQUIRE(parse_listen("127.0.0.1:8080", o));
    CHECK(o.address == "127.0.0.1");
    CHECK(o.port == 8080);
    REQUIRE(parse_listen("9000", o));
    CHECK(o.address == "127.0.0.1");
    CHECK(o.port == 9000);
    REQUIRE(parse_listen("localhost:0", o));
    CHECK(o.address == "127.0.0.1");
    CHECK(o.port == 0);
    REQUIRE(parse_listen("0.0.0.0:80", o));
    CHECK(o.address == "0.0.0.0");
    REQUIRE(parse_listen("[::1]:8443", o));
    CHECK(o.address == "::1");
    CHECK(o.port == 8443);
    for (auto bad : {"", "host", "1.2.3.4:", "1.2.3.4:99999", "::1:80", "[::1]80", "nas.local:80",
                     "1.2.3.4:8o"}) {
        INFO(bad);
        CHECK_FALSE(parse_listen(bad, o));
    }
}

TEST_CASE("the bearer token is checked exactly") {
    std::string token = generate_token();
    CHECK(token.size() == 43);
    CHECK(token != generate_token());
    CHECK(bearer_matches("Bearer " + token, token));
    CHECK(bearer_matches("bearer " + token, token));  // the scheme is case-insensitive
    CHECK_FALSE(bearer_matches("Bearer " + token.substr(1), token));
    CHECK_FALSE(bearer_matches("Bearer " + token + "x", token));
    CHECK_FALSE(bearer_matches(token, token));
    CHECK_FALSE(bearer_matches("Basic " + token, token));
    CHECK_FALSE(bearer_matches("", token));
    CHECK_FALSE(bearer_matches("Bearer ", ""));
    auto flipped = token;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    CHECK_FALSE(bearer_matches("Bearer " + flipped, token));
}

TEST_CASE("a malformed token file is refused with what to do") {
    test::TempDir dir;
    auto file = dir / "server-token";
    { std::ofstream(file) << "short\n"; }
    auto r = load_or_create_token(file);
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("delete it"));
}

TEST_CASE("the path policy keeps requests under the allowed roots") {
    test::TempDir dir;
    std::filesystem::create_directories(dir / "root" / "photos");
    std::filesystem::create_directories(dir / "other");
    auto policy = PathPolicy::create({dir / "root"});
    REQUIRE(policy);
    auto root = std::filesystem::canonical(dir / "root");
    CHECK(policy->check((root / "photos").string(), "folder"));
    CHECK(policy->check(root.string(), "folder"));
    CHECK(policy->check((root / "photos/").string(), "folder").value() == root / "photos");
    CHECK(policy->check((root / "not-yet").string(), "folder"));  // missing but inside
    CHECK(policy->check((root / "photos" / ".." / "x").string(), "folder").value() == root / "x");
    auto outside = policy->check((dir / "other").string(), "folder");
    REQUIRE_FALSE(outside);
    CHECK(outside.error().kind == sdk::ErrorKind::permission);
    CHECK_FALSE(policy->check((root / ".." / "other").string(), "folder"));
    CHECK_FALSE(policy->check(root.string() + "-sibling", "folder"));  // a prefix is not a parent
    CHECK_FALSE(policy->check("/", "folder"));
    auto relative = policy->check("photos", "folder");
    REQUIRE_FALSE(relative);
    CHECK(relative.error().kind == sdk::ErrorKind::invalid_input);
    std::filesystem::create_directory_symlink(dir / "other", root / "link");
    CHECK_FALSE(policy->check((root / "link").string(), "folder"));
    CHECK_FALSE(policy->check((root / "link" / "deeper").string(), "folder"));
    CHECK_FALSE(PathPolicy::create({dir / "missing"}));
}

TEST_CASE("the event ring hands out events in order and reports a gap") {
    EventHub hub(4);
    for (int i = 1; i <= 3; ++i) {
        hub.publish("e", std::to_string(i));
    }
    auto all = hub.since(0, 100);
    CHECK_FALSE(all.gap);
    REQUIRE(all.events.size() == 3);
    CHECK(all.events[0].seq == 1);
    CHECK(all.events[2].data == "3");
    CHECK(hub.since(2, 100).events.size() == 1);
    CHECK(hub.since(3, 100).events.empty());
    CHECK(hub.since(0, 2).events.size() == 2);
    for (int i = 4; i <= 10; ++i) {
        hub.publish("e", std::to_string(i));
    }
    auto late = hub.since(2, 100);
    CHECK(late.gap);  // 3..6 are gone
    REQUIRE(late.events.size() == 4);
    CHECK(late.events.front().seq == 7);
    CHECK(hub.last_seq() == 10);
}
