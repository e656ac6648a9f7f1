#include <catch2/catch.hpp>

#include "redaction.hpp"

using photosync::cli::redact;

TEST_CASE("credentials never reach a log line") {
    CHECK(redact("POST /token code=4/0AbCdEf&code_verifier=x") ==
          "POST /token code=[redacted]&code_verifier=x");
    CHECK(redact(R"({"access_token": "ya29.a0AfB_byC", "expires_in": 3599})") ==
          R"({"access_token": "[redacted]", "expires_in": 3599})");
    CHECK(redact("refresh_token=1//0gAbCdEfGhIjKlMn&client_secret=GOCSPX-abc") ==
          "refresh_token=[redacted]&client_secret=[redacted]");
    CHECK(redact("Authorization: Bearer ya29.secret-token") == "Authorization: Bearer [redacted]");
    CHECK(redact("token ya29.leaked.somewhere and 1//0abcdefghijklmnop") ==
          "token [redacted] and [redacted]");
    CHECK(redact("uploading IMG_0001.jpg (3.2 MB)") == "uploading IMG_0001.jpg (3.2 MB)");
}
