#include "progress_ticker.hpp"

namespace photosync::server {

sdk::awaitable<void> run_progress_ticker(std::shared_ptr<ServerContext> ctx,
                                         std::shared_ptr<boost::asio::steady_timer> timer) {
    while (!ctx->stopping) {
        ctx->tick_requested.store(false);
        bool soon = ctx->jobs.tick() || ctx->tick_requested.load();
        // A job said it finished: its report follows within moments.
        timer->expires_after(soon ? std::chrono::milliseconds(10) : ctx->options.progress_interval);
        auto [ec] = co_await timer->async_wait(sdk::use_tuple);
        (void)ec;  // cancelled: a job finished (or the server stops); tick now
    }
    ctx->jobs.tick();  // the last word on jobs that ended during shutdown
}

}  // namespace photosync::server
