// The server's request handling (frontends/server), as `photosync serve`
// does it up to the handler: the raw bytes read by Beast's request parser
// with the session's limits (16 KiB of headers, 1 MiB of body), the route
// matched (route_match.cpp: target, method, bearer token, page files), and
// for POST /api/jobs the JSON body turned into a job (job_request.cpp, with
// the path policy over a scratch root). No job is started.
//
// Promises: no handler is reached without the right bearer token; every
// response is one the session can send (it serialises); a job built has its
// folder (and a destination folder) under the allowed root, an album, and
// 1 to 64 uploads at once; a refused job is a 400 or a 403.
#include <unistd.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <variant>

#include "access_token.hpp"
#include "fuzz_support.hpp"
#include "job_request.hpp"
#include "path_policy.hpp"
#include "photosync/server/server.hpp"
#include "responses.hpp"
#include "route_match.hpp"

using namespace photosync;
namespace http = boost::beast::http;
namespace fs = std::filesystem;

namespace {

// The token of the seeds (43 characters, as generate_token makes them).
constexpr std::string_view kToken = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzzfuz";

std::optional<server::PathPolicy> policy;
fs::path root;

void check_sendable(server::Response& response) {
    std::ostringstream out;
    out << response;
    PHOTOSYNC_FUZZ_CHECK(out.str().starts_with("HTTP/1."), out.str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // The allowed root: a scratch HOME with one real folder in it.
    char dir[] = "/tmp/photosync-fuzz-XXXXXX";
    if (::mkdtemp(dir) == nullptr) {
        std::abort();
    }
    root = fs::path(dir);
    fs::create_directories(root / "Pictures" / "Trip");
    ::setenv("HOME", dir, 1);
    auto p = server::PathPolicy::create({root});
    if (!p) {
        std::abort();
    }
    policy.emplace(std::move(*p));
    std::atexit([] {
        std::error_code ec;
        fs::remove_all(root, ec);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const server::ServerOptions options;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!ec && !parser.is_done()) {
        parser.put_eof(ec);
    }
    if (ec || !parser.is_done()) {
        return 0;  // the session answers 400/413/431 or waits for more
    }
    server::Request request = parser.release();

    auto matched = server::match_route(request, kToken);
    if (auto* response = std::get_if<server::Response>(&matched)) {
        check_sendable(*response);
        return 0;
    }
    PHOTOSYNC_FUZZ_CHECK(server::bearer_matches(request[http::field::authorization], kToken),
                         request[http::field::authorization]);
    const auto& match = std::get<server::RouteMatch>(matched);
    if (match.resource != server::Resource::create_job) {
        return 0;
    }
    server::JobDefaults defaults;
    auto job = server::parse_job_request(request.body(), *policy, defaults);
    if (!job) {
        PHOTOSYNC_FUZZ_CHECK(job.error().kind == sdk::ErrorKind::invalid_input ||
                                 job.error().kind == sdk::ErrorKind::permission,
                             job.error().message);
        auto response = server::error_response(request.version(), job.error());
        check_sendable(response);
        return 0;
    }
    PHOTOSYNC_FUZZ_CHECK(server::is_within(fs::path(job->spec.source.config.location), root),
                         job->spec.source.config.location);
    const auto& destination = job->spec.destination.config.location;
    if (!destination.empty() && (destination.front() == '/' || destination.front() == '~')) {
        PHOTOSYNC_FUZZ_CHECK(server::is_within(fs::path(destination), root), destination);
    }
    PHOTOSYNC_FUZZ_CHECK(!job->spec.album.empty(), "no album");
    PHOTOSYNC_FUZZ_CHECK(job->info.concurrency >= 1 && job->info.concurrency <= 64, "jobs");
    return 0;
}
