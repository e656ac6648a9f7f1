#include <catch2/catch.hpp>

#include "photosync/engine/endpoint.hpp"

using photosync::engine::Endpoint;

TEST_CASE("an endpoint is NAME or NAME:LOCATION") {
    auto a = Endpoint::parse("gphotos");
    REQUIRE(a);
    CHECK(a->plugin == "gphotos");
    CHECK(a->config.location.empty());
    auto b = Endpoint::parse("folder:/srv/photos:2026");
    REQUIRE(b);
    CHECK(b->plugin == "folder");
    CHECK(b->config.location == "/srv/photos:2026");
    CHECK(b->to_string() == "folder:/srv/photos:2026");
}

TEST_CASE("a malformed endpoint is refused with a message naming it") {
    for (const char* bad : {"", ":x", "Folder:/x", "fol der"}) {
        auto e = Endpoint::parse(bad);
        REQUIRE_FALSE(e);
        CHECK(e.error().kind == photosync::sdk::ErrorKind::invalid_input);
        CHECK_THAT(e.error().message, Catch::Contains(std::string("'") + bad + "'"));
    }
}
