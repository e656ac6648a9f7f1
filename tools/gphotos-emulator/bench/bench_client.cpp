// Load generator for the emulator's upload sink (plain HTTP on loopback).
//   sink  --port P --token T --bytes N [--connections C]  one big raw upload per connection
//   small --port P --token T --seconds S [--size B] [--connections C]
// Prints one JSON line with the figures.
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string mode;
    int port = 0;
    std::string token;
    unsigned long long bytes = 1ull << 30;
    int connections = 1;
    double seconds = 3;
    std::size_t size = 1024;
};

Options parse(int argc, char** argv) {
    Options o;
    if (argc > 1)
        o.mode = argv[1];
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        const char* v = argv[i + 1];
        if (k == "--port")
            o.port = std::atoi(v);
        else if (k == "--token")
            o.token = v;
        else if (k == "--bytes")
            o.bytes = std::strtoull(v, nullptr, 10);
        else if (k == "--connections")
            o.connections = std::atoi(v);
        else if (k == "--seconds")
            o.seconds = std::atof(v);
        else if (k == "--size")
            o.size = static_cast<std::size_t>(std::atoll(v));
    }
    return o;
}

tcp::socket connect(asio::io_context& ioc, int port) {
    tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    s.set_option(tcp::no_delay(true));
    return s;
}

std::string head(const Options& o, unsigned long long length) {
    return "POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + o.token +
           "\r\nContent-Type: application/octet-stream\r\nX-Goog-Upload-Protocol: raw\r\n"
           "X-Goog-Upload-File-Name: bench.jpg\r\nContent-Length: " +
           std::to_string(length) + "\r\n\r\n";
}

// Streams o.bytes through one raw upload; returns false on failure.
bool one_big_upload(const Options& o) {
    asio::io_context ioc;
    tcp::socket s = connect(ioc, o.port);
    std::vector<char> buf(8 << 20);
    std::mt19937_64 rng(1);
    for (auto& c : buf)
        c = static_cast<char>(rng());
    buf[0] = '\xFF';
    buf[1] = '\xD8';
    buf[2] = '\xFF';
    asio::write(s, asio::buffer(head(o, o.bytes)));
    unsigned long long left = o.bytes;
    while (left > 0) {
        const std::size_t n =
            static_cast<std::size_t>(std::min<unsigned long long>(left, buf.size()));
        asio::write(s, asio::buffer(buf.data(), n));
        left -= n;
    }
    beast::flat_buffer fb;
    http::response<http::string_body> res;
    http::read(s, fb, res);
    return res.result() == http::status::ok;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    if (o.mode == "sink") {
        const auto t0 = Clock::now();
        std::atomic<int> failures{0};
        std::vector<std::thread> ts;
        for (int i = 0; i < o.connections; ++i)
            ts.emplace_back([&] {
                if (!one_big_upload(o))
                    ++failures;
            });
        for (auto& t : ts)
            t.join();
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        const double total = static_cast<double>(o.bytes) * o.connections;
        std::printf(
            "{\"mode\":\"sink\",\"bytes\":%.0f,\"seconds\":%.3f,\"MBps\":%.1f,\"failures\":%d}\n",
            total, secs, total / secs / 1e6, failures.load());
        return failures ? 1 : 0;
    }
    if (o.mode == "small") {
        std::string body(o.size, 'x');
        body[0] = '\xFF';
        body[1] = '\xD8';
        body[2] = '\xFF';
        const std::string req = head(o, o.size) + body;
        std::atomic<long> done{0}, failures{0};
        const auto until = Clock::now() + std::chrono::duration<double>(o.seconds);
        const auto t0 = Clock::now();
        std::vector<std::thread> ts;
        for (int i = 0; i < o.connections; ++i)
            ts.emplace_back([&] {
                try {
                    asio::io_context ioc;
                    tcp::socket s = connect(ioc, o.port);
                    beast::flat_buffer fb;
                    while (Clock::now() < until) {
                        asio::write(s, asio::buffer(req));
                        http::response<http::string_body> res;
                        http::read(s, fb, res);
                        if (res.result() == http::status::ok)
                            ++done;
                        else
                            ++failures;
                    }
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "bench connection failed: %s\n", e.what());
                    ++failures;
                }
            });
        for (auto& t : ts)
            t.join();
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf(
            "{\"mode\":\"small\",\"uploads\":%ld,\"seconds\":%.3f,\"per_second\":%.0f,"
            "\"failures\":%ld}\n",
            done.load(), secs, static_cast<double>(done.load()) / secs, failures.load());
        return failures ? 1 : 0;
    }
    std::fprintf(stderr, "usage: %s sink|small --port P --token T [...]\n", argv[0]);
    return 2;
}
