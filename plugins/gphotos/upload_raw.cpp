#include "uploads.hpp"

namespace photosync::gphotos {

namespace http = boost::beast::http;

std::string upload_file_name(const sdk::SourceItem& item) {
    std::string name(item.file_name());
    for (auto& c : name) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            c = '_';
        }
    }
    return name;
}

sdk::awaitable<sdk::Result<std::string>> upload_raw(ApiClient& api, const Settings& settings,
                                                    const sdk::SourceItem& item,
                                                    sdk::ByteStream& content) {
    const std::string what = "uploading " + sdk::display_path(item.path);
    HttpRequest request;
    request.method = http::verb::post;
    request.url = settings.upload_url;
    request.headers = {{"Content-Type", "application/octet-stream"},
                       {"X-Goog-Upload-Protocol", "raw"},
                       {"X-Goog-Upload-File-Name", upload_file_name(item)}};
    if (!item.mime_type.empty()) {
        request.headers.emplace_back("X-Goog-Upload-Content-Type", item.mime_type);
    }
    request.stream = StreamBody{&content, 0, content.size()};
    request.reply_limit = 64 * 1024;
    auto reply = co_await api.send(std::move(request));
    if (!reply) {
        co_return std::unexpected(std::move(reply.error().error));
    }
    co_return read_upload_reply(*reply, what);
}

}  // namespace photosync::gphotos
