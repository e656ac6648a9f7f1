#include "cli.hpp"

#include <CLI/CLI.hpp>

namespace gpe {

CliResult parse_command_line(int argc, char** argv) {
    Config c;
    CLI::App app{"photosync-emulator: a Google Photos Library API emulator on loopback"};
    app.set_help_all_flag("--help-all", "Show all help");

    auto* net = "Network";
    app.add_option("--listen", c.listen, "Address to bind (loopback only is intended)")
        ->group(net)
        ->capture_default_str();
    app.add_option("--port", c.port, "HTTPS port (0 = pick a free one)")
        ->group(net)
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    app.add_option("--http-port", c.http_port,
                   "Also serve plain HTTP on this port (0 = pick one; -1 = off)")
        ->group(net)
        ->check(CLI::Range(-1, 65535))
        ->capture_default_str();
    app.add_flag("!--no-https", c.https, "Serve plain HTTP only (needs --http-port)")->group(net);
    app.add_option("--port-file", c.port_file,
                   "Write the main port (HTTPS, else HTTP) to this file once listening")
        ->group(net);
    app.add_option("--http-port-file", c.http_port_file, "Write the plain-HTTP port here")
        ->group(net);
    app.add_option("--info-file", c.info_file,
                   "Write JSON {ports, urls, ca_file, client_id, ...} here once listening")
        ->group(net);
    app.add_option("--ca-file", c.ca_file,
                   "Write the CA certificate (PEM) clients must trust here "
                   "(default ./photosync-emulator-ca.pem)")
        ->group(net);
    app.add_option("--ca-key-file", c.ca_key_file,
                   "Keep the CA key here; with an existing --ca-file the CA is reused")
        ->group(net);
    app.add_option("--threads", c.threads, "I/O threads (0 = one per core)")
        ->group(net)
        ->capture_default_str();
    app.add_option("--idle-timeout", c.idle_timeout_s,
                   "Seconds of silence before a connection is closed")
        ->group(net)
        ->capture_default_str();
    app.add_option("--json-body-limit", c.json_body_limit,
                   "Largest non-upload request body (bytes)")
        ->group(net)
        ->capture_default_str();
    app.add_flag("!--no-gzip", c.gzip, "Never gzip JSON replies")->group(net);
    app.add_flag("!--no-hash-helper", c.hash_helper,
                 "Hash upload bodies on the io thread (no helper thread)")
        ->group(net);
    app.add_flag("!--no-content-hash", c.content_hash,
                 "Do not hash upload bodies: media items get an empty sha256 (benchmarks)")
        ->group(net);

    auto* st = "State";
    app.add_option("--state", c.state_file,
                   "Persist albums, items, tokens and grants in this JSON file")
        ->group(st);
    app.add_option("--clock-offset", c.clock_offset_s,
                   "Start the emulated clock this many seconds ahead")
        ->group(st)
        ->capture_default_str();

    auto* oa = "OAuth";
    app.add_option("--client-id", c.client_id, "OAuth client id")->group(oa)->capture_default_str();
    app.add_option("--client-secret", c.client_secret, "OAuth client secret")
        ->group(oa)
        ->capture_default_str();
    app.add_option("--client-secret-file", c.client_secret_file,
                   "Write a Google \"installed\" client_secret.json pointing at the emulator")
        ->group(oa);
    app.add_option("--user", c.default_user,
                   "User the authorization page signs in (login_hint wins)")
        ->group(oa)
        ->capture_default_str();
    app.add_option("--access-token-ttl", c.access_token_ttl_s, "Access token lifetime (s)")
        ->group(oa)
        ->capture_default_str();
    app.add_option("--refresh-token-ttl", c.refresh_token_ttl_s,
                   "Refresh token lifetime (s); 0 = until revoked (604800 models Testing apps)")
        ->group(oa)
        ->capture_default_str();
    app.add_flag("--deny-authorization", c.deny_authorization,
                 "The authorization page denies (error=access_denied)")
        ->group(oa);
    app.add_flag("!--allow-no-pkce", c.require_pkce, "Accept authorization requests without PKCE")
        ->group(oa);

    auto* up = "Uploads and library";
    app.add_option("--chunk-granularity", c.chunk_granularity,
                   "Resumable chunk granularity (bytes)")
        ->group(up)
        ->capture_default_str();
    app.add_option("--upload-token-ttl", c.upload_token_ttl_s,
                   "Upload token (and resumable session) lifetime (s)")
        ->group(up)
        ->capture_default_str();
    app.add_option("--max-batch-items", c.max_batch_items,
                   "Most items per batchCreate/batchGet/batchAdd (49 = the literal 'less than 50')")
        ->group(up)
        ->capture_default_str();
    app.add_option("--album-capacity", c.album_capacity, "Most items per album")
        ->group(up)
        ->capture_default_str();
    app.add_flag("--allow-token-reuse", c.allow_token_reuse,
                 "A used upload token may create another item (duplicates)")
        ->group(up);
    app.add_option("--max-photo-bytes", c.max_photo_bytes, "Largest photo accepted by batchCreate")
        ->group(up)
        ->capture_default_str();
    app.add_option("--max-video-bytes", c.max_video_bytes, "Largest video accepted")
        ->group(up)
        ->capture_default_str();
    app.add_option("--video-processing", c.video_processing_s,
                   "Seconds new videos report status PROCESSING")
        ->group(up)
        ->capture_default_str();
    app.add_option("--batch-create-delay-ms", c.batch_create_delay_ms,
                   "Server time each batchCreate takes")
        ->group(up)
        ->capture_default_str();

    auto* qu = "Quotas";
    app.add_option("--requests-per-day", c.requests_per_day, "API requests per day (0 = unlimited)")
        ->group(qu)
        ->capture_default_str();
    app.add_option("--writes-per-minute", c.writes_per_minute,
                   "Write requests per minute per user (0 = unlimited)")
        ->group(qu)
        ->capture_default_str();
    app.add_flag("!--no-concurrent-write-limit", c.concurrent_write_limit,
                 "Allow overlapping batchCreate calls of one user")
        ->group(qu);

    auto* fa = "Faults";
    app.add_option("--fault", c.faults,
                   "Fault rule, repeatable: kind=error|latency|drop_mid_upload|drop_before_reply,"
                   "endpoint=NAME,status=N,rate=P,count=N,skip=N,latency_ms=N,after_bytes=N")
        ->group(fa);
    app.add_option("--fault-seed", c.fault_seed, "Seed for fault rates (0 = random)")->group(fa);
    app.add_option("--latency-ms", c.latency_ms, "Added latency on every request")->group(fa);
    app.add_option("--bandwidth-limit", c.bandwidth_bytes_per_s,
                   "Cap on upload bytes per second, all connections together (0 = none)")
        ->group(fa);

    app.add_option("--log-level", c.log_level, "debug|info|warn|error|off")->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }
    return {c, 0};
}

}  // namespace gpe
