#pragma once
// Random identifiers shaped like Google's: album ids ~76 chars and media item
// ids ~98 chars of URL-safe base64 sharing a per-user prefix, upload tokens
// starting "CAIS", OAuth tokens "ya29." / "1//" / "4/".

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace gpe {

class IdGenerator {
  public:
    IdGenerator();
    // Random URL-safe base64 characters.
    std::string random_chars(std::size_t n);
    std::uint64_t next_u64();

    // Per-user prefix is derived from the user so that it is stable across restarts.
    static std::string user_prefix(std::string_view user);
    std::string album_id(std::string_view user) { return user_prefix(user) + random_chars(64); }
    std::string media_item_id(std::string_view user) {
        return user_prefix(user) + random_chars(86);
    }
    std::string upload_token() { return "CAIS" + random_chars(152); }
    std::string upload_session_id() { return "AEnB2U" + random_chars(90); }
    std::string access_token() { return "ya29.a0" + random_chars(150); }
    std::string refresh_token() { return "1//0" + random_chars(99); }
    std::string auth_code() { return "4/0A" + random_chars(70); }

  private:
    std::mutex mu_;
    std::mt19937_64 rng_;
};

bool looks_like_upload_token(std::string_view s);
std::string base64url_encode(std::string_view bytes, bool pad = false);
bool is_base64url_char(char c);

}  // namespace gpe
