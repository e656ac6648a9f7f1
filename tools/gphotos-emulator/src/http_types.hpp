#pragma once
// Transport-independent request/response types: handlers are pure functions
// from a parsed Request to a Response, so they are testable without sockets.

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpe {

namespace http = boost::beast::http;

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct Request {
    http::verb method = http::verb::get;
    std::string target;  // as received
    std::string path;    // percent-decoded path without the query
    QueryParams query;
    const http::fields* headers = nullptr;  // never null while handled
    std::string body;
    bool tls = false;
    bool peer_loopback = true;
    std::string host;  // Host header, or 127.0.0.1:<port>

    std::string_view header(http::field f) const;
    std::string_view header(std::string_view name) const;
    // First value of a query parameter, or empty.
    std::string_view param(std::string_view name) const;
    bool has_param(std::string_view name) const;
    std::vector<std::string> params(std::string_view name) const;
    // Scheme + host of this server as seen by the client ("https://127.0.0.1:1234").
    std::string origin() const { return std::string(tls ? "https://" : "http://") + host; }
};

// What the connection does after the handler: send the reply, or drop the
// connection without replying (lost-response fault).
enum class AfterHandler { reply, drop };

struct Response {
    http::status status = http::status::ok;
    http::fields headers;
    std::string body;
    std::string content_type;  // empty: no Content-Type
    bool close = false;        // Connection: close after this reply
    AfterHandler after = AfterHandler::reply;

    static Response json(http::status s, std::string body);
    static Response text(http::status s, std::string body);
    static Response html(http::status s, std::string body);
    static Response redirect(std::string location);
};

}  // namespace gpe
