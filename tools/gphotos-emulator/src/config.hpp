#pragma once
// Every run-time setting of the emulator; filled from the command line (cli.cpp).

#include <cstdint>
#include <string>
#include <vector>

namespace gpe {

struct Config {
    // Network.
    std::string listen = "127.0.0.1";
    int port = 0;                // HTTPS port (0 = pick a free one)
    bool https = true;           // --no-https disables the TLS listener
    int http_port = -1;          // plain-HTTP port; -1 = no plain listener, 0 = pick one
    int threads = 0;             // io threads; 0 = one per core
    std::string port_file;       // receives the main port (HTTPS, else HTTP)
    std::string http_port_file;  // receives the plain HTTP port
    std::string info_file;       // JSON with ports, URLs, CA file, client id
    std::string ca_file;         // CA certificate (PEM) written here
    std::string ca_key_file;     // optional: reuse/keep the CA key across runs
    int idle_timeout_s = 120;    // keep-alive idle / per-read timeout
    std::uint64_t json_body_limit = 8ull << 20;
    bool gzip = true;         // gzip JSON replies for clients that accept it
    bool hash_helper = true;  // hash bodies >= 1 MiB on a helper thread
    // Hash upload bodies (media items carry their sha256). Off: the emulator
    // spends less of a shared machine's CPU in throughput benchmarks.
    bool content_hash = true;

    // State.
    std::string state_file;  // persist store + OAuth grants (JSON)
    std::int64_t clock_offset_s = 0;

    // OAuth.
    std::string client_id = "emulator-client-id.apps.googleusercontent.com";
    std::string client_secret = "GOCSPX-emulator-client-secret";
    std::string project_id = "photosync-emulator";
    std::string client_secret_file;  // write a Google "installed" client_secret.json
    std::string default_user = "emulator-user@example.com";
    int access_token_ttl_s = 3600;
    int refresh_token_ttl_s = 0;  // 0 = until revoked (7 days models "Testing" apps)
    int auth_code_ttl_s = 600;
    bool deny_authorization = false;
    bool require_pkce = true;

    // Uploads and library.
    std::uint64_t chunk_granularity = 262144;
    int upload_token_ttl_s = 86400;
    int max_batch_items = 50;
    int album_capacity = 20000;
    bool allow_token_reuse = false;
    std::uint64_t max_photo_bytes = 200ull << 20;
    std::uint64_t max_video_bytes = 20ull << 30;
    int video_processing_s = 0;
    int batch_create_delay_ms = 0;  // simulated server time of each batchCreate

    // Quotas (0 = off).
    std::uint64_t requests_per_day = 0;
    std::uint64_t writes_per_minute = 0;
    bool concurrent_write_limit = true;

    // Faults.
    std::vector<std::string> faults;  // "kind=error,status=503,endpoint=batchCreate,rate=0.5"
    std::uint64_t fault_seed = 0;     // 0 = random
    int latency_ms = 0;
    std::uint64_t bandwidth_bytes_per_s = 0;

    std::string log_level = "info";
};

}  // namespace gpe
