#include <catch2/catch.hpp>

#include "photosync/sdk/types.hpp"

using photosync::sdk::display_path;

TEST_CASE("display_path keeps valid UTF-8 as it is") {
    CHECK(display_path("Trip/Été 2026/日本.jpg") == "Trip/Été 2026/日本.jpg");
}

TEST_CASE("display_path escapes bytes that are not UTF-8 and control characters") {
    CHECK(display_path(std::string("bad\xff\xfe.jpg")) == "bad\\xFF\\xFE.jpg");
    CHECK(display_path(std::string("a\nb")) == "a\\x0Ab");
    CHECK(display_path("back\\slash") == "back\\\\slash");
    // Overlong encoding of '/' and a lone surrogate are not valid UTF-8.
    CHECK(display_path(std::string("\xC0\xAF")) == "\\xC0\\xAF");
    CHECK(display_path(std::string("\xED\xA0\x80")) == "\\xED\\xA0\\x80");
    // A sequence cut short at the end.
    CHECK(display_path(std::string("x\xE6\x97")) == "x\\xE6\\x97");
}

TEST_CASE("SourceItem::file_name is the last path component") {
    photosync::sdk::SourceItem item;
    item.path = "2026/trip/IMG_0001.JPG";
    CHECK(item.file_name() == "IMG_0001.JPG");
    item.path = "top.jpg";
    CHECK(item.file_name() == "top.jpg");
}
