// The `local` source: photos and videos in a folder tree on this machine.
#pragma once

#include <filesystem>
#include <memory>

#include "photosync/sdk/plugin.hpp"
#include "photosync/sdk/source_actions.hpp"
#include "tree_walker.hpp"

namespace photosync::local {

// Also moves and removes files once they are uploaded (SourceItemActions).
class LocalSource final : public sdk::Source, public sdk::SourceItemActions {
  public:
    static sdk::Result<std::unique_ptr<sdk::Source>> create(const sdk::PluginContext& context,
                                                            const sdk::PluginConfig& config);

    [[nodiscard]] std::string describe() const override;
    sdk::awaitable<sdk::Result<std::unique_ptr<sdk::ItemLister>>> list() override;
    sdk::awaitable<sdk::Result<std::unique_ptr<sdk::ByteStream>>> open(
        const sdk::SourceItem& item) override;

    sdk::Result<void> prepare_move(const std::string& to) override;
    sdk::awaitable<sdk::Result<void>> move_item(const sdk::SourceItem& item,
                                                const std::string& to) override;
    sdk::awaitable<sdk::Result<void>> remove_item(const sdk::SourceItem& item) override;

  private:
    LocalSource(sdk::PluginContext context, std::filesystem::path root, WalkOptions options);

    sdk::PluginContext context_;
    std::filesystem::path root_;
    WalkOptions options_;
};

}  // namespace photosync::local
