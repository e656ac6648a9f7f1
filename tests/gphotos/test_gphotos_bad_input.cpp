// Bad input at the Google Photos end (issue 10's matrix): each case gives one
// clear line naming the thing and what to do, a non-zero exit, and loses or
// doubles nothing.
#include "gphotos_cli.hpp"
#include "one_line.hpp"

using namespace photosync;
using namespace photosync::test;

namespace {

// The last line on stderr that photosync itself wrote (not a progress line).
std::string last_message(const std::string& err) {
    std::string last;
    std::size_t start = 0;
    while (start < err.size()) {
        auto end = err.find('\n', start);
        auto line = err.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (line.starts_with("photosync: ")) {
            last = line;
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return last;
}

}  // namespace

TEST_CASE("a zero-byte photo fails alone, named, and the rest land") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 3);
    std::ofstream(folder / "empty.jpg").close();
    auto r = cli.run({"sync", folder.path().string(), "Zero"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("empty.jpg: empty file (0 bytes)"));
    check_each_file_once(f, "Zero", 3);
}

TEST_CASE("a server certificate from an untrusted CA stops the run before any upload") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 3);
    f.config.options["ca_file"] = "/etc/ssl/certs/ca-certificates.crt";  // not the emulator's CA
    auto r = cli.run({"sync", folder.path().string(), "Untrusted"});
    INFO(r.out << r.err);
    CHECK(r.exit_code != 0);
    CHECK_THAT(last_message(r.err),
               Catch::Contains("certificate is not trusted") && Catch::Contains("ca_file"));
    CHECK(upload_requests(f.stats()) == 0);
    CHECK(f.control("GET", "/__emulator/albums").empty());
}

TEST_CASE("a service that is not there is retried, then named in one line") {
    GphotosFixture f;
    Cli cli(f);
    cli.login();
    TempDir folder;
    photos(folder.path(), 0, 2);
    f.config.options["api_url"] = "https://127.0.0.1:9";  // nothing listens there
    auto r = cli.run({"sync", folder.path().string(), "Down"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(last_message(r.err), Catch::Contains("cannot connect to 127.0.0.1:9"));
    // Nothing was recorded as done: the next run, with the service back, uploads all.
    f.config.options["api_url"] = f.emu.base_url();
    auto again = cli.run({"sync", folder.path().string(), "Down"});
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    check_each_file_once(f, "Down", 2);
}

TEST_CASE("a missing or malformed OAuth client file is one line saying where to get it") {
    GphotosFixture f;
    Cli cli(f);
    TempDir dir;
    SECTION("missing") {
        f.config.options["client_secret"] = (dir / "nope.json").string();
        auto r = cli.run({"auth", "login"});
        CHECK(r.exit_code == 3);
        check_one_line(r.err, "no Google OAuth client file at");
        f.check_no_secrets(r.out + r.err);
    }
    SECTION("malformed") {
        std::ofstream(dir / "bad.json") << "{not json";
        f.config.options["client_secret"] = (dir / "bad.json").string();
        auto r = cli.run({"auth", "login"});
        CHECK(r.exit_code == 3);
        check_one_line(r.err, "is not a Google OAuth client file (not JSON)");
        f.check_no_secrets(r.out + r.err);
    }
}
