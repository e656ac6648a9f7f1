#include "batch_create.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "api_errors.hpp"

namespace photosync::gphotos {

namespace http = boost::beast::http;
using json = nlohmann::json;
using sdk::ErrorKind;

namespace {

constexpr std::size_t kMaxFileName = 255;

// Google refuses a whole batchCreate (400, nothing created) when one item's
// upload token is malformed or unknown to it: "Request must contain a valid
// upload token." That is one item's fault, so the batch is split to find it.
bool refused_for_one_item(const HttpResponse& reply) {
    if (reply.status != 400) {
        return false;
    }
    auto message = error_message(reply);
    std::transform(message.begin(), message.end(), message.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return message.find("upload token") != std::string::npos;
}

}  // namespace

std::string media_file_name(const sdk::SourceItem& item) {
    std::string name(item.file_name());
    if (name.size() <= kMaxFileName) {
        return name;
    }
    auto dot = name.rfind('.');
    std::string ext = dot != std::string::npos && name.size() - dot <= 16 ? name.substr(dot) : "";
    std::size_t keep = kMaxFileName - ext.size();
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) {
        --keep;  // never cut a UTF-8 sequence
    }
    return name.substr(0, keep) + ext;
}

ErrorKind kind_of_item_status(int code) noexcept {
    switch (code) {
        case 3:   // INVALID_ARGUMENT: unsupported or broken media, bad token
        case 5:   // NOT_FOUND
        case 6:   // ALREADY_EXISTS
        case 9:   // FAILED_PRECONDITION
        case 11:  // OUT_OF_RANGE
        case 12:  // UNIMPLEMENTED
            return ErrorKind::invalid_input;
        case 7:  // PERMISSION_DENIED
            return ErrorKind::permission;
        case 16:  // UNAUTHENTICATED
            return ErrorKind::auth;
        case 8:  // RESOURCE_EXHAUSTED
            return ErrorKind::rate_limited;
        default:  // 1 CANCELLED, 2 UNKNOWN, 4 DEADLINE_EXCEEDED, 10 ABORTED, 13 INTERNAL, 14
                  // UNAVAILABLE...: try again later
            return ErrorKind::transient;
    }
}

sdk::Result<std::vector<sdk::CommitOutcome>> read_batch_results(
    const std::string& body, std::span<const sdk::StagedItem> items) {
    auto unknown = [&](const std::string& why) {
        return sdk::fail(ErrorKind::unknown_outcome,
                         "adding " + std::to_string(items.size()) +
                             " items to the album: Google Photos' reply cannot be read (" + why +
                             "); some items may have been added");
    };
    auto doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return unknown("not JSON");
    }
    auto results = doc.find("newMediaItemResults");
    if (results == doc.end() || !results->is_array()) {
        return unknown("no newMediaItemResults");
    }
    auto token_of = [](const json& r) -> std::string {
        auto t = r.find("uploadToken");
        return t != r.end() && t->is_string() ? t->get<std::string>() : std::string();
    };
    // Normally one result per item in request order; otherwise matched by token.
    std::vector<const json*> matched(items.size(), nullptr);
    bool in_order = results->size() == items.size();
    for (std::size_t i = 0; in_order && i < items.size(); ++i) {
        const auto& r = (*results)[i];
        auto t = r.is_object() ? token_of(r) : std::string();
        if (!r.is_object() || (!t.empty() && t != items[i].receipt.token)) {
            in_order = false;
            break;
        }
        matched[i] = &r;
    }
    if (!in_order) {
        std::unordered_map<std::string, const json*> by_token;
        for (const auto& r : *results) {
            if (r.is_object()) {
                by_token.emplace(token_of(r), &r);
            }
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto it = by_token.find(items[i].receipt.token);
            if (it == by_token.end()) {
                return unknown("no result for an item");
            }
            matched[i] = it->second;
        }
    }
    std::vector<sdk::CommitOutcome> outcomes;
    outcomes.reserve(items.size());
    for (const json* r : matched) {
        int code = 0;
        std::string message;
        if (auto st = r->find("status"); st != r->end() && st->is_object()) {
            if (auto c = st->find("code"); c != st->end() && c->is_number_integer()) {
                code = c->get<int>();
            }
            if (auto m = st->find("message"); m != st->end() && m->is_string()) {
                message = clean_text(m->get<std::string>());
            }
        }
        if (code == 0) {
            std::string id;
            if (auto mi = r->find("mediaItem"); mi != r->end() && mi->is_object()) {
                if (auto i = mi->find("id"); i != mi->end() && i->is_string()) {
                    id = i->get<std::string>();
                }
            }
            outcomes.emplace_back(sdk::CommittedItem{std::move(id)});
            continue;
        }
        auto kind = kind_of_item_status(code);
        outcomes.emplace_back(sdk::fail(
            kind,
            "Google Photos did not add it (" +
                (message.empty() ? "status " : message + ", status ") + std::to_string(code) + ")" +
                (kind == ErrorKind::transient ? ": it will be tried again on the next run" : "")));
    }
    return outcomes;
}

sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> batch_create(
    ApiClient& api, const Settings& settings, std::string album_id,
    std::span<const sdk::StagedItem> items) {
    if (items.empty()) {
        co_return std::vector<sdk::CommitOutcome>{};
    }
    if (items.size() > kMaxBatch) {
        co_return sdk::fail(ErrorKind::internal, "more than 50 items in one batchCreate");
    }
    const std::string what = "adding " + std::to_string(items.size()) + " items to the album";
    json entries = json::array();
    for (const auto& staged : items) {
        entries.push_back({{"simpleMediaItem",
                            {{"uploadToken", staged.receipt.token},
                             {"fileName", media_file_name(staged.item)}}}});
    }
    json body = {{"newMediaItems", std::move(entries)}};
    if (!album_id.empty()) {
        body["albumId"] = album_id;
    }
    HttpRequest request;
    request.method = http::verb::post;
    request.url = join_url(settings.api_url, "/v1/mediaItems:batchCreate");
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    request.body = dump_json(body);
    request.idempotent = false;  // never sent twice blindly
    request.reply_limit = 16 * 1024 * 1024;
    auto reply = co_await api.send(std::move(request));
    if (!reply) {
        auto& failure = reply.error();
        if (failure.maybe_delivered && failure.error.kind != ErrorKind::cancelled) {
            co_return sdk::fail(ErrorKind::unknown_outcome,
                                what + ": the reply was lost (" + failure.error.message +
                                    "); some items may have been added");
        }
        if (failure.maybe_delivered) {
            failure.error.kind = ErrorKind::unknown_outcome;
        }
        co_return std::unexpected(std::move(failure.error));
    }
    if (reply->status != 200 && refused_for_one_item(*reply)) {
        if (items.size() == 1) {  // found: this item fails, alone
            auto error = classify_reply(*reply, "adding it to the album");
            // Its upload (not the file) is at fault: a new one gets a new token.
            error.message += "; it will be uploaded again on the next run";
            co_return std::vector<sdk::CommitOutcome>{std::unexpected(std::move(error))};
        }
        // Halves, one after the other: the refusal created nothing, and a bad
        // token among 50 costs about 2 x log2(50) = 12 calls, not a lost batch.
        auto half = items.size() / 2;
        auto first = co_await batch_create(api, settings, album_id, items.first(half));
        if (!first) {
            co_return first;
        }
        auto second = co_await batch_create(api, settings, album_id, items.subspan(half));
        if (!second) {
            // Unknown for the second half; the first half's items were added.
            // The engine reconciles the whole batch against the album.
            co_return sdk::fail(ErrorKind::unknown_outcome,
                                what + ": " + second.error().message +
                                    " (after the first part of the batch was added)");
        }
        first->insert(first->end(), std::make_move_iterator(second->begin()),
                      std::make_move_iterator(second->end()));
        co_return first;
    }
    if (reply->status != 200) {
        co_return std::unexpected(classify_reply(*reply, what));
    }
    co_return read_batch_results(reply->body, items);
}

}  // namespace photosync::gphotos
