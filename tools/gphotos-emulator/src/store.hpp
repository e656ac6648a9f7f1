#pragma once
// The emulator's library state: albums, media items, upload tokens and live
// resumable sessions. One mutex guards it; handlers run under with_lock().

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clock.hpp"
#include "media_magic.hpp"
#include "sha256.hpp"

namespace gpe {

class HashPipeline;

// What a finished upload left behind (the bytes themselves are never kept).
struct UploadedBytes {
    std::string sha256;
    std::uint64_t size = 0;
    MediaInfo media;
    std::string file_name;     // X-Goog-Upload-File-Name
    std::string content_type;  // X-Goog-Upload-Content-Type
};

struct UploadTokenRecord {
    std::string token;
    std::string user;
    std::string client_id;
    UploadedBytes bytes;
    SysTime created;
    int uses = 0;
};

enum class SessionState { active, final_, cancelled };

// A resumable upload session. Its own mutex guards the hashing state so the
// store lock is never held while bytes are hashed.
struct ResumableSession {
    std::string id;
    std::string user;
    std::string client_id;
    std::string file_name;
    std::string content_type;
    std::optional<std::uint64_t> raw_size;
    SysTime created;

    std::mutex mu;
    SessionState state = SessionState::active;
    std::uint64_t committed = 0;   // bytes persisted (whole granules, or all once final)
    Sha256 hasher;                 // over the committed bytes
    std::string head;              // first committed bytes, for magic detection
    std::uint64_t generation = 0;  // bumped by every new request: older writers stop
    std::string token;             // set when final
    // Helper hashing into `hasher` for the request currently writing (owned
    // by that request); whoever takes the session over drains it first.
    HashPipeline* pipeline = nullptr;
};

struct MediaItemRecord {
    std::string id;
    std::string user;
    std::string app;  // client id that created it; empty = not app-created
    std::string description;
    std::string filename;
    std::string sha256;
    std::uint64_t size = 0;
    MediaInfo media;
    SysTime creation_time;
    SysTime created_at;
    std::string upload_token;
    std::uint64_t seq = 0;
};

struct AlbumRecord {
    std::string id;
    std::string user;
    std::string app;  // empty = created in the Photos app, not by this client
    std::string title;
    std::vector<std::string> items;
    std::unordered_set<std::string> members;
    std::string cover_item;
    std::vector<std::string> enrichments;
    std::uint64_t seq = 0;
    SysTime created;
};

struct StoreData {
    std::unordered_map<std::string, AlbumRecord> albums;
    std::vector<std::string> album_order;
    std::unordered_map<std::string, MediaItemRecord> items;
    std::vector<std::string> item_order;
    std::unordered_map<std::string, UploadTokenRecord> upload_tokens;
    std::unordered_map<std::string, std::shared_ptr<ResumableSession>> sessions;
    std::uint64_t next_seq = 1;
    std::uint64_t version = 0;  // bumped by every mutation (drives persistence)
    std::uint64_t bytes_received = 0;

    void touch() { ++version; }
    std::uint64_t seq() { return next_seq++; }
};

class Store {
  public:
    template <class F>
    decltype(auto) with_lock(F&& f) {
        std::lock_guard lock(mu_);
        return f(data_);
    }
    template <class F>
    decltype(auto) with_lock(F&& f) const {
        std::lock_guard lock(mu_);
        return f(data_);
    }

    nlohmann::json to_json() const;  // persistent parts
    void load_json(const nlohmann::json& j);
    nlohmann::json dump() const;  // inspection view (control endpoint)
    std::uint64_t version() const;
    void clear();

  private:
    mutable std::mutex mu_;
    StoreData data_;
};

nlohmann::json media_info_json(const MediaInfo& m);
MediaInfo media_info_from_json(const nlohmann::json& j);

}  // namespace gpe
