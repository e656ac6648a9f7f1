#include "client_secret.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "photosync/sdk/types.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;
using json = nlohmann::json;

sdk::Result<ClientSecret> parse_client_secret(const std::string& text, const std::string& name) {
    auto bad = [&](const std::string& why) {
        return sdk::fail(ErrorKind::auth,
                         name + " is not a Google OAuth client file (" + why +
                             "): download it again from Google Cloud console (APIs & Services > "
                             "Credentials > OAuth client, type Desktop app)");
    };
    auto doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return bad("not JSON");
    }
    const json* client = nullptr;
    for (const char* key : {"installed", "web"}) {
        if (auto it = doc.find(key); it != doc.end() && it->is_object()) {
            client = &*it;
            break;
        }
    }
    if (client == nullptr) {
        return bad("no \"installed\" or \"web\" section");
    }
    auto field = [&](const char* key) -> std::string {
        auto it = client->find(key);
        return it != client->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    ClientSecret s{field("client_id"), field("client_secret"), field("auth_uri"),
                   field("token_uri")};
    if (s.client_id.empty()) {
        return bad("no client_id");
    }
    if (s.client_secret.empty()) {
        return bad("no client_secret");
    }
    return s;
}

sdk::Result<ClientSecret> load_client_secret(const std::filesystem::path& file) {
    auto name = sdk::display_path(file.string());
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        return sdk::fail(
            ErrorKind::auth,
            "no Google OAuth client file at " + name +
                ": create an OAuth client (type Desktop app) in Google Cloud console, download "
                "its JSON there, or name it with -o client_secret=FILE");
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
        return sdk::fail(ErrorKind::auth, "cannot read " + name);
    }
    return parse_client_secret(text.str(), name);
}

}  // namespace photosync::gphotos
