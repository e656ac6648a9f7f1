#pragma once
// The /v1/uploads byte protocols: raw (one request) and resumable (start,
// upload[, finalize], query, cancel). Request bodies are streamed through an
// UploadSink which hashes incrementally and never keeps the bytes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "clock.hpp"
#include "config.hpp"
#include "http_types.hpp"
#include "ids.hpp"
#include "oauth.hpp"
#include "store.hpp"

namespace gpe {

class UploadSink {
  public:
    virtual ~UploadSink() = default;
    // Feeds the next body bytes. False: stop reading (a newer request took over).
    virtual bool write(const char* data, std::size_t n) = 0;
    // The whole body arrived: reply.
    virtual Response finish() = 0;
    // The connection failed or was dropped mid-body.
    virtual void abort() = 0;
};

struct UploadEnv {
    const Config& cfg;
    Clock& clock;
    IdGenerator& ids;
    Store& store;
};

// Endpoint names of the upload protocol, from the request head.
std::string classify_upload(const Request& head);

// For "uploads.raw" and "uploads.upload": a sink, or an immediate reply.
std::variant<std::unique_ptr<UploadSink>, Response> begin_upload(
    const UploadEnv& env, const Request& head, const Principal& who, const std::string& endpoint,
    std::optional<std::uint64_t> content_length);

// "uploads.start", "uploads.query", "uploads.cancel" and bad commands.
Response upload_command(const UploadEnv& env, const Request& req, const Principal& who,
                        const std::string& endpoint);

}  // namespace gpe
