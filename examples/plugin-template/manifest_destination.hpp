// The `manifest` destination, a template for your own plugin.
//
//   manifest:/srv/archive
//     objects/<sha256>              each distinct content once
//     <album>.manifest              one line per item: name TAB sha256 TAB size
//
// stage  -> stream the bytes into objects/ (content-addressed); receipt = sha256
// commit -> append lines to the album's manifest, in order
#pragma once

#include <filesystem>
#include <memory>
#include <photosync/sdk/plugin.hpp>

namespace manifest {

class ManifestDestination final : public photosync::sdk::Destination {
  public:
    static photosync::sdk::Result<std::unique_ptr<photosync::sdk::Destination>> create(
        const photosync::sdk::PluginContext& context, const photosync::sdk::PluginConfig& config);

    std::string describe() const override;
    photosync::sdk::DestinationLimits limits() const override;
    photosync::sdk::awaitable<photosync::sdk::Result<photosync::sdk::Container>> resolve_container(
        const photosync::sdk::ContainerRequest& request) override;
    photosync::sdk::awaitable<photosync::sdk::Result<photosync::sdk::Receipt>> stage(
        const photosync::sdk::SourceItem& item, photosync::sdk::ByteStream& content) override;
    photosync::sdk::awaitable<photosync::sdk::Result<std::vector<photosync::sdk::CommitOutcome>>>
    commit(const photosync::sdk::Container& container,
           std::span<const photosync::sdk::StagedItem> items) override;
    photosync::sdk::awaitable<photosync::sdk::Result<std::vector<photosync::sdk::RemoteItem>>>
    list_container(const photosync::sdk::Container& container) override;

  private:
    ManifestDestination(photosync::sdk::PluginContext context, std::filesystem::path root)
        : context_(std::move(context)), root_(std::move(root)) {}
    std::filesystem::path manifest_of(const std::string& id) const {
        return root_ / (id + ".manifest");
    }

    photosync::sdk::PluginContext context_;
    std::filesystem::path root_;
};

}  // namespace manifest
