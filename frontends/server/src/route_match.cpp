#include "route_match.hpp"

#include <boost/url/parse.hpp>
#include <charconv>
#include <optional>
#include <vector>

#include "access_token.hpp"
#include "responses.hpp"
#include "static_assets.hpp"

namespace photosync::server {

namespace {

using V = http::verb;

Response method_not_allowed(const Request& req, std::string_view allow) {
    auto r = error_response(req.version(), http::status::method_not_allowed,
                            std::string(req.method_string()) +
                                " is not allowed here (allowed: " + std::string(allow) + ")",
                            "invalid_input");
    r.set(http::field::allow, allow);
    return r;
}

Response unauthorized(const Request& req) {
    bool given = req.find(http::field::authorization) != req.end();
    auto r = error_response(req.version(), http::status::unauthorized,
                            given ? "the access token is wrong: use the one the server printed at "
                                    "start (also in its state folder, file server-token)"
                                  : "an access token is needed: send 'Authorization: Bearer TOKEN' "
                                    "with the token the server printed at start",
                            "auth");
    r.set(http::field::www_authenticate, given
                                             ? "Bearer realm=\"photosync\", error=\"invalid_token\""
                                             : "Bearer realm=\"photosync\"");
    return r;
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) {
            parts.emplace_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
    return parts;
}

std::optional<std::uint64_t> parse_id(std::string_view text) {
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return id;
}

}  // namespace

std::variant<RouteMatch, Response> match_route(const Request& req, std::string_view token) {
    const auto version = req.version();
    auto target = boost::urls::parse_origin_form(req.target());
    if (!target) {
        return error_response(version, http::status::bad_request, "malformed request target",
                              "invalid_input");
    }
    std::string path = target->path();
    auto method = req.method();

    if (path != "/api" && !path.starts_with("/api/")) {
        if (method != V::get && method != V::head) {
            return method_not_allowed(req, "GET, HEAD");
        }
        if (auto asset = asset_response(req, path)) {
            return std::move(*asset);
        }
        return error_response(version, http::status::not_found,
                              "no page file " + path + " (the page is at /)", "not_found");
    }

    if (!bearer_matches(req[http::field::authorization], token)) {
        return unauthorized(req);
    }
    auto parts = split_path(path);  // parts[0] == "api"
    auto not_found = [&]() -> Response {
        return error_response(version, http::status::not_found,
                              "no API path " + path + " (see docs/server-api.md)", "not_found");
    };
    if (parts.size() == 2 && parts[1] == "jobs") {
        if (method == V::get) {
            return RouteMatch{Resource::list_jobs};
        }
        if (method == V::post) {
            return RouteMatch{Resource::create_job};
        }
        return method_not_allowed(req, "GET, POST");
    }
    if ((parts.size() == 3 || parts.size() == 4) && parts[1] == "jobs") {
        auto id = parse_id(parts[2]);
        if (parts.size() == 4 && parts[3] != "cancel") {
            return not_found();
        }
        if (!id) {
            return error_response(version, http::status::not_found,
                                  "no job '" + parts[2] + "': job ids are numbers", "not_found");
        }
        if (parts.size() == 3) {
            if (method == V::get) {
                return RouteMatch{Resource::get_job, *id};
            }
            if (method == V::delete_) {
                return RouteMatch{Resource::cancel_job, *id};
            }
            return method_not_allowed(req, "GET, DELETE");
        }
        if (method == V::post) {
            return RouteMatch{Resource::cancel_job, *id};
        }
        return method_not_allowed(req, "POST");
    }
    if (parts.size() == 2 && (parts[1] == "plugins" || parts[1] == "albums" ||
                              parts[1] == "server" || parts[1] == "events")) {
        if (method != V::get) {
            return method_not_allowed(req, "GET");
        }
        if (parts[1] == "plugins") {
            return RouteMatch{Resource::list_plugins};
        }
        if (parts[1] == "server") {
            return RouteMatch{Resource::server_info};
        }
        if (parts[1] == "events") {
            return RouteMatch{Resource::events};
        }
        RouteMatch m{Resource::list_albums};
        if (auto it = target->params().find("album"); it != target->params().end()) {
            m.album = (*it).value;
        }
        return m;
    }
    return not_found();
}

}  // namespace photosync::server
