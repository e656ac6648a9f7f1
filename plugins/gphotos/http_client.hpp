// HTTP/1.1 over the connection pool: one request, one reply, with a timeout on
// every network operation, request bodies streamed from an sdk::ByteStream in
// fixed-size chunks (constant memory for any file size) and replies read with
// a fresh parser and a size cap each time.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connection_pool.hpp"
#include "photosync/sdk/byte_stream.hpp"
#include "photosync/sdk/log.hpp"

namespace photosync::gphotos {

// Part of a ByteStream sent as a request body: `length` bytes from `offset`.
struct StreamBody {
    sdk::ByteStream* stream = nullptr;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct HttpRequest {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string url;  // absolute
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;                  // used when there is no stream body
    std::optional<StreamBody> stream;  // the body, read in chunks
    bool send_content_length = false;  // also for an empty `body` (POST with no body)
    std::size_t reply_limit = 8 * 1024 * 1024;
    // Safe to send again if a reused keep-alive connection turns out to be
    // dead. Requests that are not (batchCreate) only reuse fresh connections.
    bool idempotent = true;
};

struct HttpResponse {
    unsigned status = 0;
    boost::beast::http::fields headers;
    std::string body;

    [[nodiscard]] std::string header(std::string_view name) const;
};

// A request that got no (complete) reply. maybe_delivered: the whole request
// was sent, so the server may have acted on it.
struct HttpFailure {
    sdk::Error error;
    bool maybe_delivered = false;
};

using HttpResult = std::expected<HttpResponse, HttpFailure>;

class HttpClient {
  public:
    HttpClient(boost::asio::any_io_executor io,
               std::shared_ptr<boost::asio::ssl::context> tls_context, std::size_t connections,
               std::chrono::seconds timeout, sdk::LogSink& log);

    // Sends the request and reads the reply, whatever its status. Honours the
    // caller's cancellation slot (ErrorKind::cancelled).
    sdk::awaitable<HttpResult> send(HttpRequest request);

    [[nodiscard]] std::chrono::seconds timeout() const noexcept { return timeout_; }

  private:
    ConnectionPool pool_;
    std::chrono::seconds timeout_;
    sdk::LogSink& log_;
};

// "POST https://host/path" without the query string (which may carry ids):
// what log lines and error messages show of a request.
[[nodiscard]] std::string describe_request(boost::beast::http::verb method, const Url& url);

}  // namespace photosync::gphotos
