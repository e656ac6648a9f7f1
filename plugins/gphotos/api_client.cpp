#include "api_client.hpp"

#include "api_errors.hpp"

namespace photosync::gphotos {

namespace http = boost::beast::http;
using json = nlohmann::json;
using sdk::ErrorKind;

sdk::Result<json> parse_json_object(const std::string& body, std::string_view what) {
    auto doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return sdk::fail(ErrorKind::protocol,
                         std::string(what) +
                             ": Google Photos sent a reply that is not JSON; nothing is lost: run "
                             "the same command again later (if it keeps happening, a proxy or "
                             "firewall may be in the way)");
    }
    return doc;
}

std::string dump_json(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

sdk::awaitable<HttpResult> ApiClient::send(HttpRequest request) {
    for (int attempt = 1;; ++attempt) {
        auto token = co_await tokens_.get();
        if (!token) {
            co_return std::unexpected(HttpFailure{std::move(token.error()), false});
        }
        if (budget_ != nullptr) {
            if (auto taken = budget_->take(); !taken) {
                co_return std::unexpected(HttpFailure{std::move(taken.error()), false});
            }
        }
        HttpRequest copy = request;
        copy.headers.emplace_back("Authorization", "Bearer " + *token);
        auto reply = co_await http_.send(std::move(copy));
        if (reply && reply->status == 401 && attempt == 1) {
            tokens_.invalidate(*token);
            continue;
        }
        co_return reply;
    }
}

sdk::awaitable<sdk::Result<json>> ApiClient::call_json(http::verb method, std::string url,
                                                       json body, std::string what) {
    HttpRequest request;
    request.method = method;
    request.url = std::move(url);
    request.headers.emplace_back("Accept", "application/json");
    if (!body.is_null()) {
        request.headers.emplace_back("Content-Type", "application/json");
        request.body = dump_json(body);
        request.send_content_length = true;
    }
    auto reply = co_await send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    if (reply->status != 200) {
        co_return std::unexpected(classify_reply(*reply, what));
    }
    co_return parse_json_object(reply->body, what);
}

}  // namespace photosync::gphotos
