// `photosync auth login|status|logout` for Google Photos.
#pragma once

#include <memory>

#include "http_client.hpp"
#include "photosync/sdk/plugin.hpp"
#include "settings.hpp"

namespace photosync::gphotos {

class GphotosAuthenticator final : public sdk::Authenticator {
  public:
    static sdk::Result<std::unique_ptr<sdk::Authenticator>> create(
        const sdk::PluginContext& context, const sdk::PluginConfig& config);

    sdk::awaitable<sdk::Result<std::string>> login(sdk::LoginPrompt prompt) override;
    sdk::awaitable<sdk::Result<sdk::AuthStatus>> status() override;
    sdk::awaitable<sdk::Result<void>> logout() override;

  private:
    GphotosAuthenticator(sdk::PluginContext context, Settings settings,
                         std::unique_ptr<HttpClient> http);

    sdk::PluginContext context_;
    Settings settings_;
    std::unique_ptr<HttpClient> http_;
};

}  // namespace photosync::gphotos
