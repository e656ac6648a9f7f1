// The `gphotos` destination: items into Google Photos albums through the
// Photos Library API, in its two steps (upload bytes -> upload token;
// batchCreate tokens -> media items in an album). See docs/gphotos.md.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "access_tokens.hpp"
#include "api_client.hpp"
#include "async_semaphore.hpp"
#include "http_client.hpp"
#include "photosync/sdk/plugin.hpp"
#include "request_budget.hpp"
#include "settings.hpp"

namespace photosync::gphotos {

inline constexpr std::uint64_t kMaxPhotoBytes = 200ULL * 1024 * 1024;
inline constexpr std::uint64_t kMaxVideoBytes = 20ULL * 1024 * 1024 * 1024;
// Upload tokens live a day; the engine re-uploads items whose receipt is older.
inline constexpr std::chrono::hours kReceiptLifetime{23};

class GphotosDestination final : public sdk::Destination {
  public:
    static sdk::Result<std::unique_ptr<sdk::Destination>> create(const sdk::PluginContext& context,
                                                                 const sdk::PluginConfig& config);
    ~GphotosDestination() override;

    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] sdk::DestinationLimits limits() const override;
    sdk::awaitable<sdk::Result<sdk::Container>> resolve_container(
        const sdk::ContainerRequest& request) override;
    sdk::awaitable<sdk::Result<sdk::Receipt>> stage(const sdk::SourceItem& item,
                                                    sdk::ByteStream& content) override;
    sdk::awaitable<sdk::Result<std::vector<sdk::CommitOutcome>>> commit(
        const sdk::Container& container, std::span<const sdk::StagedItem> items) override;
    sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> list_container(
        const sdk::Container& container) override;

  private:
    GphotosDestination(sdk::PluginContext context, Settings settings,
                       std::unique_ptr<HttpClient> http);

    // Items the album can still take (20,000 at most), as far as this instance knows.
    std::uint64_t room_in(const sdk::Container& container);
    void added_to(const std::string& album_id, std::uint64_t n);

    sdk::PluginContext context_;
    Settings settings_;
    std::unique_ptr<HttpClient> http_;
    std::unique_ptr<AccessTokens> tokens_;
    std::unique_ptr<RequestBudget> budget_;
    std::unique_ptr<ApiClient> api_;
    std::shared_ptr<AsyncSemaphore> account_lock_;  // one batchCreate at a time per account

    std::mutex mutex_;
    std::map<std::string, std::uint64_t> album_items_;  // album id -> items it holds
};

}  // namespace photosync::gphotos
