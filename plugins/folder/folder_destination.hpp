// The `folder` destination: albums are subfolders of a directory. It is the
// SDK's worked example of the two-step protocol and lets the engine be tested
// without a network.
//
//   stage  -> bytes streamed into <root>/.photosync-staging/<random>.part, fsynced
//   commit -> each staged file renamed into <root>/<album>/<name> (atomic; no
//             torn file is ever visible; an existing name gets " (2)" etc.)
#pragma once

#include <filesystem>
#include <memory>

#include "photosync/sdk/plugin.hpp"

namespace photosync::folder {

class FolderDestination final : public sdk::Destination {
  public:
    static sdk::Result<std::unique_ptr<sdk::Destination>> create(const sdk::PluginContext& context,
                                                                 const sdk::PluginConfig& config);

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
    FolderDestination(sdk::PluginContext context, std::filesystem::path root);

    sdk::PluginContext context_;
    std::filesystem::path root_;
    std::filesystem::path staging_;
};

// An album title as a safe folder name: no '/', NUL or leading dots.
[[nodiscard]] std::string folder_name_for(std::string_view title);

}  // namespace photosync::folder
