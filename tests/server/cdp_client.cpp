#include "cdp_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <stdexcept>

namespace photosync::test {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

struct CdpClient::Impl {
    asio::io_context io;
    websocket::stream<asio::ip::tcp::socket> ws{io};
};

CdpClient::CdpClient(std::uint16_t port, const std::string& path)
    : impl_(std::make_unique<Impl>()) {
    asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
    impl_->ws.next_layer().connect(endpoint);
    impl_->ws.read_message_max(256 * 1024 * 1024);
    impl_->ws.handshake("127.0.0.1:" + std::to_string(port), path);
}

CdpClient::~CdpClient() {
    boost::system::error_code ignored;
    impl_->ws.next_layer().close(ignored);
}

nlohmann::json CdpClient::call(const std::string& method, nlohmann::json params,
                               std::chrono::milliseconds timeout) {
    auto id = next_id_++;
    nlohmann::json message{{"id", id}, {"method", method}, {"params", std::move(params)}};
    impl_->ws.text(true);
    impl_->ws.write(asio::buffer(message.dump()));
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // One message at a time, waiting no longer than the deadline.
        boost::beast::flat_buffer buffer;
        boost::system::error_code ec;
        bool done = false;
        impl_->ws.async_read(buffer, [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        impl_->io.restart();
        while (!done && std::chrono::steady_clock::now() < deadline) {
            impl_->io.run_for(std::chrono::milliseconds(100));
            impl_->io.restart();
        }
        if (!done) {
            boost::system::error_code ignored;
            impl_->ws.next_layer().close(ignored);
            throw std::runtime_error("no answer from Chromium to " + method + " in time");
        }
        if (ec) {
            throw std::runtime_error("DevTools connection: " + ec.message());
        }
        auto reply = nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()));
        if (reply.contains("id") && reply["id"] == id) {
            if (reply.contains("error")) {
                throw std::runtime_error(method + " failed: " + reply["error"].dump());
            }
            return reply.value("result", nlohmann::json::object());
        }
        if (reply.contains("method")) {
            events_.push_back(std::move(reply));
        }
    }
}

nlohmann::json CdpClient::evaluate(const std::string& expression) {
    auto r = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
    if (r.contains("exceptionDetails")) {
        throw std::runtime_error("page script failed: " + r["exceptionDetails"].dump());
    }
    return r["result"].value("value", nlohmann::json());
}

std::string base64_decode(const std::string& text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+' || c == '-') {
            return 62;
        }
        if (c == '/' || c == '_') {
            return 63;
        }
        return -1;
    };
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        int v = value(c);
        if (v < 0) {
            continue;  // padding, line breaks
        }
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace photosync::test
