#include "harness.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sha256.hpp"

extern char** environ;

namespace emu_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string Reply::header(const std::string& name) const {
    std::string k;
    for (char c : name)
        k.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    auto it = headers.find(k);
    return it == headers.end() ? std::string{} : it->second;
}

namespace {

template <class Msg>
Reply to_reply(const Msg& res) {
    Reply r;
    r.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
        std::string k(f.name_string());
        for (auto& c : k)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[k] = std::string(f.value());
    }
    r.body = res.body();
    return r;
}

http::verb verb_of(const std::string& m) {
    const auto v = http::string_to_verb(m);
    if (v == http::verb::unknown)
        throw std::invalid_argument("bad method " + m);
    return v;
}

}  // namespace

struct HttpClient::Impl {
    asio::io_context ioc;
    ssl::context ctx{ssl::context::tls_client};
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
    beast::flat_buffer buf;
    std::string host;
    int port;

    template <class F>
    decltype(auto) with_stream(F&& f) {
        if (tls)
            return f(*tls);
        return f(*plain);
    }
};

HttpClient::HttpClient(int port, bool use_tls, std::string ca_file, std::string host)
    : impl_(std::make_unique<Impl>()) {
    impl_->host = host;
    impl_->port = port;
    tcp::resolver res(impl_->ioc);
    auto eps = res.resolve(host, std::to_string(port));
    if (!use_tls) {
        impl_->plain = std::make_unique<beast::tcp_stream>(impl_->ioc);
        impl_->plain->connect(eps);
        impl_->plain->socket().set_option(tcp::no_delay(true));
        return;
    }
    impl_->ctx.set_verify_mode(ssl::verify_peer);
    if (!ca_file.empty())
        impl_->ctx.load_verify_file(ca_file);
    impl_->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(impl_->ioc, impl_->ctx);
    SSL_set_tlsext_host_name(impl_->tls->native_handle(), host.c_str());
    impl_->tls->set_verify_callback(ssl::host_name_verification(host));
    beast::get_lowest_layer(*impl_->tls).connect(eps);
    impl_->tls->handshake(ssl::stream_base::client);
}

HttpClient::~HttpClient() {
    beast::error_code ec;
    if (impl_->plain)
        impl_->plain->socket().shutdown(tcp::socket::shutdown_both, ec);
}

bool HttpClient::connected() const {
    return impl_->tls ? beast::get_lowest_layer(*impl_->tls).socket().is_open()
                      : impl_->plain->socket().is_open();
}

Reply HttpClient::request(const std::string& method, const std::string& target,
                          const std::string& body, const Headers& headers) {
    http::request<http::string_body> req{verb_of(method), target, 11};
    req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
    for (const auto& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    return impl_->with_stream([&](auto& s) {
        http::write(s, req);
        http::response_parser<http::string_body> p;
        p.body_limit(1ull << 30);
        http::read(s, impl_->buf, p);
        return to_reply(p.get());
    });
}

Reply HttpClient::request_chunked(const std::string& method, const std::string& target,
                                  const std::vector<std::string>& pieces, const Headers& headers) {
    http::request<http::empty_body> req{verb_of(method), target, 11};
    req.set(http::field::host, impl_->host);
    for (const auto& [k, v] : headers)
        req.set(k, v);
    req.chunked(true);
    return impl_->with_stream([&](auto& s) {
        http::request_serializer<http::empty_body> sr{req};
        http::write_header(s, sr);
        for (const auto& p : pieces)
            asio::write(s, http::make_chunk(asio::buffer(p)));
        asio::write(s, http::make_chunk_last());
        http::response<http::string_body> res;
        http::read(s, impl_->buf, res);
        return to_reply(res);
    });
}

Reply HttpClient::request_expect_continue(const std::string& target, const std::string& body,
                                          const Headers& headers, int& interim) {
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, impl_->host);
    req.set(http::field::expect, "100-continue");
    for (const auto& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    return impl_->with_stream([&](auto& s) {
        http::request_serializer<http::string_body> sr{req};
        http::write_header(s, sr);
        http::response_parser<http::string_body> p;
        http::read_header(s, impl_->buf, p);
        interim = static_cast<int>(p.get().result_int());
        if (interim != 100) {
            http::read(s, impl_->buf, p);
            return to_reply(p.get());
        }
        http::write(s, sr);
        http::response_parser<http::string_body> p2;
        http::read(s, impl_->buf, p2);
        return to_reply(p2.get());
    });
}

void send_partial_and_close(int port, const std::string& head, const std::string& body_part) {
    asio::io_context ioc;
    tcp::socket s(ioc);
    s.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    asio::write(s, asio::buffer(head));
    asio::write(s, asio::buffer(body_part));
    beast::error_code ec;
    s.shutdown(tcp::socket::shutdown_both, ec);
    s.close(ec);
}

std::string raw_exchange(int port, const std::string& bytes, int timeout_ms) {
    asio::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(
        tcp::endpoint{asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    asio::write(s.socket(), asio::buffer(bytes));
    std::string out;
    char buf[65536];
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    s.socket().non_blocking(true);
    while (std::chrono::steady_clock::now() < until) {
        beast::error_code ec;
        const std::size_t n = s.socket().read_some(asio::buffer(buf), ec);
        if (ec == asio::error::would_block) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            continue;
        }
        if (ec)
            break;
        out.append(buf, n);
    }
    return out;
}

Emulator::Emulator(std::vector<std::string> a, bool) : args(std::move(a)) {
    char tmpl[] = "/tmp/gpe-test-XXXXXX";
    if (!mkdtemp(tmpl))
        throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    ca_file = dir + "/ca.pem";
    start();
}

Emulator::~Emulator() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void Emulator::start() {
    const std::string info = dir + "/info.json";
    std::filesystem::remove(info);
    std::vector<std::string> argv_s = {
        EMULATOR_EXE, "--port",      "0",    "--http-port", "0", "--info-file", info, "--ca-file",
        ca_file,      "--log-level", "warn", "--threads",   "2"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_s)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    const std::string out = dir + "/stdout.txt";
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&pid_, EMULATOR_EXE, &fa, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("posix_spawn failed");
    posix_spawn_file_actions_destroy(&fa);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!std::filesystem::exists(info)) {
        int st = 0;
        if (waitpid(pid_, &st, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("emulator exited during start-up");
        }
        if (std::chrono::steady_clock::now() > until)
            throw std::runtime_error("emulator did not start");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(info);
    const json j = json::parse(in);
    https_port = j.value("https_port", 0);
    http_port = j.value("http_port", 0);
}

void Emulator::stop() {
    if (pid_ <= 0)
        return;
    kill(pid_, SIGTERM);
    int st = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (waitpid(pid_, &st, WNOHANG) != pid_) {
        if (std::chrono::steady_clock::now() > until) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &st, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
}

json Emulator::control(const std::string& method, const std::string& path, const json& body) {
    HttpClient c(http_port, false);
    const Reply r = c.request(method, "/__emulator" + path, body.is_null() ? "" : body.dump(),
                              {{"Content-Type", "application/json"}});
    if (r.status != 200)
        throw std::runtime_error("control " + path + " failed: " + std::to_string(r.status) + " " +
                                 r.body);
    return json::parse(r.body);
}

std::string Emulator::access_token(const std::vector<std::string>& scopes) {
    json b = json::object();
    if (!scopes.empty())
        b["scopes"] = scopes;
    return control("POST", "/oauth/token", b).at("access_token").get<std::string>();
}

Reply Emulator::api(const std::string& method, const std::string& target, const std::string& token,
                    const std::string& body, const Headers& extra) {
    HttpClient c(http_port, false);
    Headers h = extra;
    if (!token.empty())
        h.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty())
        h.emplace_back("Content-Type", "application/json");
    return c.request(method, target, body, h);
}

std::string Emulator::upload_raw(const std::string& token, const std::string& bytes,
                                 const std::string& file_name) {
    Headers h{{"X-Goog-Upload-Protocol", "raw"}, {"Content-Type", "application/octet-stream"}};
    if (!file_name.empty())
        h.emplace_back("X-Goog-Upload-File-Name", file_name);
    HttpClient c(http_port, false);
    h.emplace_back("Authorization", "Bearer " + token);
    const Reply r = c.request("POST", "/v1/uploads", bytes, h);
    if (r.status != 200)
        throw std::runtime_error("upload failed: " + r.body);
    return r.body;
}

std::string Emulator::create_album(const std::string& token, const std::string& title) {
    const Reply r = api("POST", "/v1/albums", token, json{{"album", {{"title", title}}}}.dump());
    if (r.status != 200)
        throw std::runtime_error("album create failed: " + r.body);
    return r.json_body().at("id").get<std::string>();
}

Reply Emulator::batch_create(const std::string& token, const std::vector<std::string>& tokens,
                             const std::string& album_id) {
    json items = json::array();
    for (const auto& t : tokens)
        items.push_back({{"simpleMediaItem", {{"uploadToken", t}}}});
    json b{{"newMediaItems", items}};
    if (!album_id.empty())
        b["albumId"] = album_id;
    return api("POST", "/v1/mediaItems:batchCreate", token, b.dump());
}

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s)
        c = static_cast<char>(rng() & 0xff);
    return s;
}

std::string jpeg_bytes(std::size_t total) {
    std::string s("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
    // SOF0 with 1024x768.
    s += std::string("\xFF\xC0\x00\x11\x08\x03\x00\x04\x00\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01",
                     19);
    if (s.size() < total)
        s += random_bytes(total - s.size(), static_cast<unsigned>(total));
    return s;
}

std::string png_bytes(std::size_t total, std::uint32_t w, std::uint32_t h) {
    std::string s("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
    for (std::uint32_t v : {w, h})
        for (int i = 3; i >= 0; --i)
            s.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
    if (s.size() < total)
        s += random_bytes(total - s.size(), 7);
    return s;
}

std::string mp4_bytes(std::size_t total) {
    std::string s(
        "\x00\x00\x00\x18"
        "ftypmp42\x00\x00\x00\x00mp42isom",
        24);
    if (s.size() < total)
        s += random_bytes(total - s.size(), 9);
    return s;
}

std::string sha256_hex(const std::string& data) {
    return gpe::to_hex(gpe::sha256(data));
}

}  // namespace emu_test
