#include "uploads.hpp"

#include "errors.hpp"
#include "hash_pipeline.hpp"
#include "http_util.hpp"
#include "media_magic.hpp"

namespace gpe {

namespace {

constexpr std::string_view kStatus = "X-Goog-Upload-Status";
constexpr std::string_view kSizeReceived = "X-Goog-Upload-Size-Received";

struct Commands {
    bool start = false, upload = false, finalize = false, query = false, cancel = false;
    bool unknown = false;
};

Commands parse_commands(std::string_view v) {
    Commands c;
    // "upload, finalize" and "upload,finalize" are both accepted.
    for (const auto& part : split(v, ',')) {
        const std::string p = part;
        if (iequals(p, "start"))
            c.start = true;
        else if (iequals(p, "upload"))
            c.upload = true;
        else if (iequals(p, "finalize"))
            c.finalize = true;
        else if (iequals(p, "query"))
            c.query = true;
        else if (iequals(p, "cancel"))
            c.cancel = true;
        else
            c.unknown = true;
    }
    return c;
}

std::string_view state_name(SessionState s) {
    switch (s) {
        case SessionState::active:
            return "active";
        case SessionState::final_:
            return "final";
        case SessionState::cancelled:
            return "cancelled";
    }
    return "final";
}

Response with_status(Response r, std::string_view status) {
    r.headers.set(kStatus, status);
    return r;
}

Response upload_error(int code, std::string_view message, std::string_view status) {
    return with_status(google_error(code, message), status);
}

Response token_reply(const std::string& token) {
    Response r = Response::text(http::status::ok, token);
    r.headers.set(kStatus, "final");
    return r;
}

// Records a finished upload and returns its token (takes the store lock).
std::string store_token(const UploadEnv& env, const Principal& who, UploadedBytes bytes) {
    UploadTokenRecord rec;
    rec.token = env.ids.upload_token();
    rec.user = who.user;
    rec.client_id = who.client_id;
    rec.bytes = std::move(bytes);
    rec.created = env.clock.now();
    const std::string tok = rec.token;
    env.store.with_lock([&](StoreData& d) {
        d.bytes_received += rec.bytes.size;
        d.upload_tokens.emplace(tok, std::move(rec));
        d.touch();
    });
    return tok;
}

class RawSink final : public UploadSink {
  public:
    RawSink(const UploadEnv& env, Principal who, std::string file_name, std::string content_type,
            bool large)
        : env_(env), who_(std::move(who)) {
        bytes_.file_name = std::move(file_name);
        bytes_.content_type = std::move(content_type);
        // Large bodies hash on a helper thread so receiving and hashing overlap.
        if (large)
            pipeline_ = std::make_unique<HashPipeline>(hasher_);
    }
    bool write(const char* p, std::size_t n) override {
        if (pipeline_)
            pipeline_->feed(p, n);
        else if (env_.cfg.content_hash)
            hasher_.update(p, n);
        if (head_.size() < kMagicPrefixBytes)
            head_.append(p, std::min(n, kMagicPrefixBytes - head_.size()));
        size_ += n;
        return true;
    }
    Response finish() override {
        if (pipeline_)
            pipeline_->drain();
        bytes_.sha256 = env_.cfg.content_hash ? hasher_.hex() : std::string();
        bytes_.size = size_;
        bytes_.media = detect_media(head_);
        return token_reply(store_token(env_, who_, std::move(bytes_)));
    }
    void abort() override {}

  private:
    UploadEnv env_;
    Principal who_;
    UploadedBytes bytes_;
    Sha256 hasher_;
    std::unique_ptr<HashPipeline> pipeline_;  // after hasher_: destroyed first
    std::string head_;
    std::uint64_t size_ = 0;
};

// One upload request into a resumable session. Bytes are committed in whole
// granules; a request that breaks off leaves the partial granule uncommitted
// (the client learns the committed size from "query").
class ChunkSink final : public UploadSink {
  public:
    // Called with s->mu held (by begin_upload).
    ChunkSink(const UploadEnv& env, Principal who, std::shared_ptr<ResumableSession> s,
              std::uint64_t generation, bool finalize, bool large)
        : env_(env),
          who_(std::move(who)),
          s_(std::move(s)),
          gen_(generation),
          finalize_(finalize),
          granule_(env.cfg.chunk_granularity ? env.cfg.chunk_granularity : 1) {
        if (large) {
            pipeline_ = std::make_unique<HashPipeline>(s_->hasher);
            s_->pipeline = pipeline_.get();
        }
    }

    ~ChunkSink() override {
        if (!pipeline_)
            return;
        std::lock_guard lock(s_->mu);
        if (s_->pipeline == pipeline_.get())
            s_->pipeline = nullptr;
        pipeline_.reset();  // drains into s_->hasher under the lock
    }

    bool write(const char* p, std::size_t n) override {
        std::lock_guard lock(s_->mu);
        if (s_->generation != gen_ || s_->state != SessionState::active)
            return false;
        if (!tail_.empty()) {
            const std::size_t k = std::min<std::size_t>(n, granule_ - tail_.size());
            tail_.append(p, k);
            p += k;
            n -= k;
            if (tail_.size() == granule_) {
                commit(tail_.data(), tail_.size());
                tail_.clear();
            }
        }
        const std::size_t whole = n / granule_ * granule_;
        commit(p, whole);
        tail_.append(p + whole, n - whole);
        return true;
    }

    Response finish() override {
        std::lock_guard lock(s_->mu);
        if (s_->generation != gen_ || s_->state != SessionState::active)
            return upload_error(409, "The upload session was superseded by a newer request.",
                                state_name(s_->state));
        if (!finalize_) {
            if (!tail_.empty()) {
                tail_.clear();
                Response r = upload_error(
                    400,
                    "Upload chunk size must be a multiple of the chunk granularity (" +
                        std::to_string(granule_) + " bytes) except for the final chunk.",
                    "active");
                r.headers.set(kSizeReceived, std::to_string(s_->committed));
                return r;
            }
            Response r = Response::text(http::status::ok, "");
            r.headers.set(kStatus, "active");
            r.headers.set(kSizeReceived, std::to_string(s_->committed));
            return r;
        }
        commit(tail_.data(), tail_.size());
        tail_.clear();
        if (pipeline_)
            pipeline_->drain();
        if (s_->raw_size && *s_->raw_size != s_->committed) {
            Response r = upload_error(400,
                                      "The finalized size (" + std::to_string(s_->committed) +
                                          ") does not match X-Goog-Upload-Raw-Size (" +
                                          std::to_string(*s_->raw_size) + ").",
                                      "active");
            r.headers.set(kSizeReceived, std::to_string(s_->committed));
            return r;
        }
        UploadedBytes b;
        b.sha256 = env_.cfg.content_hash ? s_->hasher.hex() : std::string();
        b.size = s_->committed;
        b.media = detect_media(s_->head);
        b.file_name = s_->file_name;
        b.content_type = s_->content_type;
        s_->token = store_token(env_, who_, std::move(b));
        s_->state = SessionState::final_;
        s_->head.clear();
        s_->head.shrink_to_fit();
        Response r = token_reply(s_->token);
        r.headers.set(kSizeReceived, std::to_string(s_->committed));
        return r;
    }

    void abort() override { tail_.clear(); }

  private:
    void commit(const char* p, std::size_t n) {
        if (n == 0)
            return;
        if (pipeline_)
            pipeline_->feed(p, n);
        else if (env_.cfg.content_hash)
            s_->hasher.update(p, n);
        if (s_->head.size() < kMagicPrefixBytes)
            s_->head.append(p, std::min<std::size_t>(n, kMagicPrefixBytes - s_->head.size()));
        s_->committed += n;
    }

    UploadEnv env_;
    Principal who_;
    std::shared_ptr<ResumableSession> s_;
    std::uint64_t gen_;
    bool finalize_;
    std::uint64_t granule_;
    std::string tail_;
    std::unique_ptr<HashPipeline> pipeline_;
};

// A new request takes the session over: older writers stop, and whatever
// they already handed to a hashing helper is finished first.
void take_over(ResumableSession& s) {
    ++s.generation;
    if (s.pipeline) {
        s.pipeline->drain();
        s.pipeline = nullptr;
    }
}

std::variant<std::shared_ptr<ResumableSession>, Response> find_session(const UploadEnv& env,
                                                                       const Request& req,
                                                                       const Principal& who) {
    const std::string id(req.param("upload_id"));
    auto s = env.store.with_lock([&](StoreData& d) -> std::shared_ptr<ResumableSession> {
        auto it = d.sessions.find(id);
        return it == d.sessions.end() ? nullptr : it->second;
    });
    // Unknown, foreign and expired sessions all look gone: the client restarts.
    if (!s || s->user != who.user ||
        env.clock.now() >= s->created + std::chrono::seconds(env.cfg.upload_token_ttl_s))
        return upload_error(404, "Upload session not found or expired.", "final");
    return s;
}

}  // namespace

std::string classify_upload(const Request& head) {
    if (head.has_param("upload_id")) {
        const Commands c = parse_commands(head.header("X-Goog-Upload-Command"));
        if (c.unknown || c.start)
            return "uploads.invalid";
        if (c.upload || c.finalize)
            return (c.query || c.cancel) ? "uploads.invalid" : "uploads.upload";
        if (c.query && !c.cancel)
            return "uploads.query";
        if (c.cancel && !c.query)
            return "uploads.cancel";
        return "uploads.invalid";
    }
    const auto cmd = head.header("X-Goog-Upload-Command");
    if (!cmd.empty())
        return iequals(trim(cmd), "start") ? "uploads.start" : "uploads.invalid";
    return "uploads.raw";
}

std::variant<std::unique_ptr<UploadSink>, Response> begin_upload(
    const UploadEnv& env, const Request& head, const Principal& who, const std::string& endpoint,
    std::optional<std::uint64_t> content_length) {
    if (endpoint == "uploads.raw") {
        if (!iequals(trim(head.header("X-Goog-Upload-Protocol")), "raw"))
            return upload_error(400,
                                "X-Goog-Upload-Protocol must be \"raw\" (or use the resumable "
                                "protocol with X-Goog-Upload-Command: start).",
                                "final");
        // Unknown (chunked) or large sizes get the hashing helper thread.
        const bool large = env.cfg.hash_helper && env.cfg.content_hash &&
                           (!content_length || *content_length >= HashPipeline::kWorthwhileBytes);
        return std::make_unique<RawSink>(
            env, who, std::string(head.header("X-Goog-Upload-File-Name")),
            std::string(head.header("X-Goog-Upload-Content-Type")), large);
    }
    // uploads.upload: a chunk (maybe final) for an existing session.
    auto found = find_session(env, head, who);
    if (auto* r = std::get_if<Response>(&found))
        return std::move(*r);
    auto s = std::get<std::shared_ptr<ResumableSession>>(std::move(found));
    const Commands c = parse_commands(head.header("X-Goog-Upload-Command"));
    const auto offset_h = head.header("X-Goog-Upload-Offset");
    std::lock_guard lock(s->mu);
    take_over(*s);  // any older request still writing stops now
    if (s->state != SessionState::active) {
        Response r = upload_error(400,
                                  s->state == SessionState::final_
                                      ? "The upload session is already finalized."
                                      : "The upload session was cancelled.",
                                  state_name(s->state));
        r.headers.set(kSizeReceived, std::to_string(s->committed));
        return r;
    }
    const auto offset = parse_u64(offset_h);
    if (!offset || *offset != s->committed) {
        Response r = upload_error(400,
                                  offset ? "X-Goog-Upload-Offset " + std::to_string(*offset) +
                                               " does not match the bytes received so far (" +
                                               std::to_string(s->committed) + ")."
                                         : std::string("X-Goog-Upload-Offset header is required."),
                                  "active");
        r.headers.set(kSizeReceived, std::to_string(s->committed));
        return r;
    }
    const std::uint64_t g = env.cfg.chunk_granularity ? env.cfg.chunk_granularity : 1;
    if (!c.finalize && content_length && *content_length % g != 0) {
        Response r =
            upload_error(400,
                         "Upload chunk size must be a multiple of the chunk granularity (" +
                             std::to_string(g) + " bytes) except for the final chunk.",
                         "active");
        r.headers.set(kSizeReceived, std::to_string(s->committed));
        return r;
    }
    if (s->raw_size && content_length && s->committed + *content_length > *s->raw_size) {
        Response r =
            upload_error(400, "The upload is larger than X-Goog-Upload-Raw-Size.", "active");
        r.headers.set(kSizeReceived, std::to_string(s->committed));
        return r;
    }
    const bool large = env.cfg.hash_helper && env.cfg.content_hash &&
                       (!content_length || *content_length >= HashPipeline::kWorthwhileBytes);
    return std::make_unique<ChunkSink>(env, who, s, s->generation, c.finalize, large);
}

Response upload_command(const UploadEnv& env, const Request& req, const Principal& who,
                        const std::string& endpoint) {
    if (endpoint == "uploads.start") {
        if (!iequals(trim(req.header("X-Goog-Upload-Protocol")), "resumable"))
            return upload_error(
                400, "X-Goog-Upload-Protocol must be \"resumable\" to start a session.", "final");
        if (!req.body.empty())
            return upload_error(400, "The start request must not have a body.", "final");
        auto s = std::make_shared<ResumableSession>();
        if (const auto raw = req.header("X-Goog-Upload-Raw-Size"); !raw.empty()) {
            const auto n = parse_u64(raw);
            if (!n)
                return upload_error(400, "Invalid X-Goog-Upload-Raw-Size.", "final");
            if (*n > env.cfg.max_video_bytes)
                return upload_error(400, "The file is too large to upload.", "final");
            s->raw_size = *n;
        }
        s->id = env.ids.upload_session_id();
        s->user = who.user;
        s->client_id = who.client_id;
        s->file_name = req.header("X-Goog-Upload-File-Name");
        s->content_type = req.header("X-Goog-Upload-Content-Type");
        s->created = env.clock.now();
        const std::string id = s->id;
        env.store.with_lock([&](StoreData& d) { d.sessions.emplace(id, std::move(s)); });
        Response r = Response::text(http::status::ok, "");
        r.headers.set("X-Goog-Upload-URL",
                      req.origin() + "/v1/uploads?upload_id=" + id + "&upload_protocol=resumable");
        r.headers.set("X-Goog-Upload-Chunk-Granularity", std::to_string(env.cfg.chunk_granularity));
        r.headers.set("X-GUploader-UploadID", id);
        r.headers.set(kStatus, "active");
        return r;
    }
    if (endpoint == "uploads.query" || endpoint == "uploads.cancel") {
        auto found = find_session(env, req, who);
        if (auto* r = std::get_if<Response>(&found))
            return std::move(*r);
        auto s = std::get<std::shared_ptr<ResumableSession>>(std::move(found));
        std::lock_guard lock(s->mu);
        take_over(*s);  // the size reported is final: a stalled writer stops here
        if (endpoint == "uploads.cancel") {
            if (s->state == SessionState::final_)
                return upload_error(400, "The upload session is already finalized.", "final");
            s->state = SessionState::cancelled;
            s->head.clear();
            return with_status(Response::text(http::status::ok, ""), "cancelled");
        }
        Response r = Response::text(http::status::ok,
                                    s->state == SessionState::final_ ? s->token : std::string{});
        r.headers.set(kStatus, state_name(s->state));
        r.headers.set(kSizeReceived, std::to_string(s->committed));
        return r;
    }
    return upload_error(400, "Invalid X-Goog-Upload-Command.", "final");
}

}  // namespace gpe
