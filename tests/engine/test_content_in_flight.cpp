// What the dedupe knows of this run's content before the ledger does
// (content_in_flight.hpp).
#include <catch2/catch.hpp>

#include "content_in_flight.hpp"

using photosync::engine::ContentInFlight;

TEST_CASE("content in flight: a copy is found under the first path that held it") {
    ContentInFlight in_flight;
    CHECK(in_flight.find("aaaa") == nullptr);
    in_flight.note("aaaa", "a.jpg");
    in_flight.note("bbbb", "b.jpg");
    in_flight.note("aaaa", "copy of a.jpg");  // the first path keeps the content
    REQUIRE(in_flight.find("aaaa") != nullptr);
    CHECK(*in_flight.find("aaaa") == "a.jpg");
    CHECK(*in_flight.find("bbbb") == "b.jpg");
    CHECK(in_flight.size() == 2);
}

TEST_CASE("content in flight: forgetting a settled path frees its content and nothing else") {
    ContentInFlight in_flight;
    in_flight.note("aaaa", "a.jpg");
    in_flight.note("bbbb", "b.jpg");
    in_flight.note("aaaa", "copy of a.jpg");
    in_flight.forget("copy of a.jpg");  // never held the content: nothing changes
    CHECK(*in_flight.find("aaaa") == "a.jpg");
    in_flight.forget("a.jpg");
    CHECK(in_flight.find("aaaa") == nullptr);
    CHECK(*in_flight.find("bbbb") == "b.jpg");
    CHECK(in_flight.size() == 1);
    // Once forgotten, the content may be noted again under another path.
    in_flight.note("aaaa", "copy of a.jpg");
    CHECK(*in_flight.find("aaaa") == "copy of a.jpg");
    in_flight.forget("b.jpg");
    in_flight.forget("copy of a.jpg");
    CHECK(in_flight.size() == 0);
}
