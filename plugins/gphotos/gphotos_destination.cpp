#include "gphotos_destination.hpp"

#include "account_locks.hpp"
#include "albums.hpp"
#include "batch_create.hpp"
#include "tls_context.hpp"
#include "uploads.hpp"

namespace photosync::gphotos {

using sdk::ErrorKind;

GphotosDestination::GphotosDestination(sdk::PluginContext context, Settings settings,
                                       std::unique_ptr<HttpClient> http)
    : context_(std::move(context)),
      settings_(std::move(settings)),
      http_(std::move(http)),
      tokens_(std::make_unique<AccessTokens>(settings_, *http_, context_.blocking, *context_.log)),
      budget_(std::make_unique<RequestBudget>(
          settings_.request_count_file(), settings_.max_requests_per_day, settings_.clock_offset)),
      api_(std::make_unique<ApiClient>(*http_, *tokens_, budget_.get())),
      account_lock_(account_lock(settings_.credentials_file())) {}

GphotosDestination::~GphotosDestination() = default;

sdk::Result<std::unique_ptr<sdk::Destination>> GphotosDestination::create(
    const sdk::PluginContext& context, const sdk::PluginConfig& config) {
    auto settings = parse_settings(context, config);
    if (!settings) {
        return std::unexpected(settings.error());
    }
    auto tls = make_tls_context(settings->ca_file);
    if (!tls) {
        return std::unexpected(tls.error());
    }
    auto http = std::make_unique<HttpClient>(context.io, std::move(*tls), settings->connections,
                                             settings->timeout, *context.log);
    return std::unique_ptr<sdk::Destination>(
        new GphotosDestination(context, std::move(*settings), std::move(http)));
}

std::string GphotosDestination::describe() const {
    // Part of the engine's ledger key: another API endpoint is another destination.
    return settings_.api_url == kGoogleApiUrl ? "gphotos" : "gphotos (" + settings_.api_url + ")";
}

sdk::DestinationLimits GphotosDestination::limits() const {
    sdk::DestinationLimits l;
    l.max_batch = kMaxBatch;
    l.serial_commits = true;
    l.max_item_size = kMaxVideoBytes;
    l.max_container_items = kAlbumCapacity;
    l.receipt_lifetime = kReceiptLifetime;
    return l;
}

std::uint64_t GphotosDestination::room_in(const sdk::Container& container) {
    std::lock_guard lock(mutex_);
    auto it = album_items_.find(container.id);
    std::uint64_t held = it != album_items_.end() ? it->second : container.item_count.value_or(0);
    return held >= kAlbumCapacity ? 0 : kAlbumCapacity - held;
}

void GphotosDestination::added_to(const std::string& album_id, std::uint64_t n) {
    std::lock_guard lock(mutex_);
    album_items_[album_id] += n;
}

sdk::awaitable<sdk::Result<sdk::Container>> GphotosDestination::resolve_container(
    const sdk::ContainerRequest& request) {
    std::optional<sdk::Container> found;
    if (!request.known_id.empty()) {
        auto by_id = co_await get_album(*api_, settings_, request.known_id);
        if (!by_id) {
            co_return std::unexpected(std::move(by_id.error()));
        }
        found = std::move(*by_id);
    }
    if (!found) {
        auto by_title = co_await find_album(*api_, settings_, request.title);
        if (!by_title) {
            co_return std::unexpected(std::move(by_title.error()));
        }
        found = std::move(*by_title);
    }
    if (!found) {
        if (!request.create_if_missing) {
            co_return sdk::fail(ErrorKind::not_found,
                                "no Google Photos album '" + request.title + "' made by photosync");
        }
        auto created = co_await create_album(*api_, settings_, request.title);
        if (!created) {
            co_return std::unexpected(std::move(created.error()));
        }
        context_.log->info("gphotos: created album '" + request.title + "'");
        found = std::move(*created);
    }
    {
        std::lock_guard lock(mutex_);
        album_items_[found->id] = found->item_count.value_or(0);
    }
    co_return std::move(*found);
}

sdk::awaitable<sdk::Result<sdk::Receipt>> GphotosDestination::stage(const sdk::SourceItem& item,
                                                                    sdk::ByteStream& content) {
    const auto size = content.size();
    const bool video = item.kind == sdk::MediaKind::video;
    const auto limit = video ? kMaxVideoBytes : kMaxPhotoBytes;
    if (size > limit) {
        co_return sdk::fail(ErrorKind::invalid_input,
                            "too large for Google Photos (" + std::to_string(size) + " bytes; " +
                                (video ? "videos" : "photos") + " may have at most " +
                                (video ? "20 GB" : "200 MB") + ")");
    }
    if (size == 0) {
        co_return sdk::fail(ErrorKind::invalid_input, "an empty file cannot go to Google Photos");
    }
    sdk::Result<std::string> token;
    if (size >= settings_.resumable_threshold) {
        token = co_await upload_resumable(*api_, settings_, *context_.log, item, content);
    } else {
        token = co_await upload_raw(*api_, settings_, item, content);
    }
    if (!token) {
        co_return std::unexpected(std::move(token.error()));
    }
    co_return sdk::Receipt{std::move(*token), std::chrono::system_clock::now()};
}

sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> GphotosDestination::commit(
    const sdk::Container& container, std::span<const sdk::StagedItem> items) {
    if (items.size() > kMaxBatch) {
        co_return sdk::fail(ErrorKind::internal,
                            "at most 50 items may be committed at once to Google Photos");
    }
    // Items beyond the album's capacity fail alone; the rest go in.
    std::size_t fits = std::min<std::uint64_t>(items.size(), room_in(container));
    std::vector<sdk::CommitOutcome> outcomes;
    if (fits > 0) {
        auto permit = co_await account_lock_->acquire();
        auto created = co_await batch_create(*api_, settings_, container.id, items.first(fits));
        permit.release();
        if (!created) {
            co_return std::unexpected(std::move(created.error()));
        }
        outcomes = std::move(*created);
        auto added = static_cast<std::uint64_t>(std::count_if(
            outcomes.begin(), outcomes.end(), [](const auto& o) { return o.has_value(); }));
        added_to(container.id, added);
    }
    for (std::size_t i = fits; i < items.size(); ++i) {
        outcomes.emplace_back(sdk::fail(ErrorKind::invalid_input,
                                        "album '" + container.title +
                                            "' is full (Google Photos albums hold at most 20,000 "
                                            "items): sync the rest into another album"));
    }
    co_return outcomes;
}

sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> GphotosDestination::list_container(
    const sdk::Container& container) {
    auto items = co_await list_album_items(*api_, settings_, container.id);
    co_return items;
}

}  // namespace photosync::gphotos
