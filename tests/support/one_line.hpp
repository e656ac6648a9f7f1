// The promise for bad input: stderr holds exactly one line, from photosync,
// and it says what went wrong.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

namespace photosync::test {

inline void check_one_line(const std::string& err, const std::string& what) {
    INFO(err);
    CHECK(std::count(err.begin(), err.end(), '\n') == 1);
    CHECK_THAT(err, Catch::StartsWith("photosync: ") && Catch::Contains(what));
}

}  // namespace photosync::test
