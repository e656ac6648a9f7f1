#include "emulator_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "spawn.hpp"

namespace photosync::test {

namespace {

int read_port(const std::filesystem::path& file) {
    std::ifstream in(file);
    int port = 0;
    in >> port;
    return port;
}

}  // namespace

EmulatorProcess::EmulatorProcess(const std::filesystem::path& program,
                                 const std::vector<std::string>& extra_args) {
    const auto port_file = dir_ / "port";
    const auto http_port_file = dir_ / "http-port";
    std::vector<std::string> args{"--port",
                                  "0",
                                  "--http-port",
                                  "0",
                                  "--port-file",
                                  port_file.string(),
                                  "--http-port-file",
                                  http_port_file.string(),
                                  "--ca-file",
                                  ca_file().string(),
                                  "--client-secret-file",
                                  client_secret_file().string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    const auto log = log_file().string();
    SpawnOptions options;
    options.output_file = log_file();
    pid_ = spawn(program, args, options);
    // The port file appears (atomically) once everything is listening.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!std::filesystem::exists(port_file)) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("photosync-emulator exited at start; see " + log);
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("photosync-emulator did not start; see " + log);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    https_port_ = read_port(port_file);
    http_port_ = read_port(http_port_file);
    base_url_ = "https://127.0.0.1:" + std::to_string(https_port_);
}

EmulatorProcess::~EmulatorProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

HttpReply EmulatorProcess::control(const std::string& method, const std::string& path,
                                   const std::string& json_body) const {
    namespace beast = boost::beast;
    namespace http = beast::http;
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                  static_cast<unsigned short>(http_port_)));
    http::request<http::string_body> req{http::string_to_verb(method), path, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = json_body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    return HttpReply{static_cast<int>(parser.get().result_int()), parser.get().body()};
}

}  // namespace photosync::test
