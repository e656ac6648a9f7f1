#include <catch2/catch.hpp>

#include "photosync/sdk/error.hpp"
#include "photosync/sdk/posix_error.hpp"

using namespace photosync::sdk;

TEST_CASE("only transient, rate-limited and protocol errors are retryable") {
    CHECK(Error{ErrorKind::transient, "x"}.retryable());
    CHECK(Error{ErrorKind::rate_limited, "x"}.retryable());
    CHECK(Error{ErrorKind::protocol, "x"}.retryable());
    for (auto k : {ErrorKind::quota_exhausted, ErrorKind::unknown_outcome, ErrorKind::auth,
                   ErrorKind::not_found, ErrorKind::invalid_input, ErrorKind::permission,
                   ErrorKind::io, ErrorKind::cancelled, ErrorKind::internal, ErrorKind::conflict}) {
        INFO(to_string(k));
        CHECK_FALSE(Error{k, "x"}.retryable());
    }
}

TEST_CASE("errno values map to error kinds with a message naming the thing") {
    auto e = errno_error("open /photos/a.jpg", ENOENT);
    CHECK(e.kind == ErrorKind::not_found);
    CHECK(e.message == "cannot open /photos/a.jpg: No such file or directory");
    CHECK(errno_error("x", EACCES).kind == ErrorKind::permission);
    CHECK(errno_error("x", ENOSPC).kind == ErrorKind::io);
}
