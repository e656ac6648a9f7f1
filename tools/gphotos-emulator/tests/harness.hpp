#pragma once
// Test harness: starts the real emulator process on free loopback ports and
// talks to it over real sockets with a small synchronous Beast client.

#include <sys/types.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace emu_test {

using nlohmann::json;

struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& name) const;
    json json_body() const { return json::parse(body); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One keep-alive connection (plain or TLS with verification against the CA file).
class HttpClient {
  public:
    HttpClient(int port, bool tls, std::string ca_file = {}, std::string host = "127.0.0.1");
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    Reply request(const std::string& method, const std::string& target,
                  const std::string& body = {}, const Headers& headers = {});
    // Sends a chunked request body in the given pieces.
    Reply request_chunked(const std::string& method, const std::string& target,
                          const std::vector<std::string>& pieces, const Headers& headers = {});
    // Expect: 100-continue: returns the interim status seen (100 or the final one).
    Reply request_expect_continue(const std::string& target, const std::string& body,
                                  const Headers& headers, int& interim_status);
    bool connected() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Sends a head and part of a body, then closes the socket (client-side drop).
void send_partial_and_close(int port, const std::string& head, const std::string& body_part);
// Sends a raw request; returns everything the server sent until it closed (or timeout).
std::string raw_exchange(int port, const std::string& bytes, int timeout_ms = 3000);

class Emulator {
  public:
    explicit Emulator(std::vector<std::string> args = {}, bool fresh_dir = true);
    ~Emulator();
    Emulator(const Emulator&) = delete;
    Emulator& operator=(const Emulator&) = delete;

    void start();
    void stop();  // SIGTERM + wait
    bool running() const { return pid_ > 0; }

    int https_port = 0;
    int http_port = 0;
    std::string dir;
    std::string ca_file;
    std::vector<std::string> args;

    HttpClient http() const { return HttpClient(http_port, false); }
    HttpClient https() const { return HttpClient(https_port, true, ca_file); }

    // Control endpoint helpers (plain HTTP).
    json control(const std::string& method, const std::string& path, const json& body = nullptr);
    // Mints tokens for the default user with all photos scopes (or the given ones).
    std::string access_token(const std::vector<std::string>& scopes = {});

    // API helpers over plain HTTP with a bearer token.
    Reply api(const std::string& method, const std::string& target, const std::string& token,
              const std::string& body = {}, const Headers& extra = {});
    std::string upload_raw(const std::string& token, const std::string& bytes,
                           const std::string& file_name = {});
    std::string create_album(const std::string& token, const std::string& title);
    Reply batch_create(const std::string& token, const std::vector<std::string>& upload_tokens,
                       const std::string& album_id = {});

  private:
    pid_t pid_ = -1;
};

// Small media samples.
std::string jpeg_bytes(std::size_t total = 2000);
std::string png_bytes(std::size_t total = 2000, std::uint32_t w = 640, std::uint32_t h = 480);
std::string mp4_bytes(std::size_t total = 4000);
std::string sha256_hex(const std::string& data);
std::string random_bytes(std::size_t n, unsigned seed = 1);

inline const std::string kAppend = "https://www.googleapis.com/auth/photoslibrary.appendonly";
inline const std::string kRead =
    "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata";
inline const std::string kEdit =
    "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata";

}  // namespace emu_test
