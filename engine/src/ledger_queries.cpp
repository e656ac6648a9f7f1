// Engine::status and Engine::verify: reading the ledger for people.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <unordered_set>

#include "engine_impl.hpp"

namespace photosync::engine {

sdk::Result<std::vector<AlbumStatus>> Engine::status(std::string_view album) {
    auto store = StateStore::open_existing(StateStore::file_in(impl_->state_dir));
    if (!store) {
        if (store.error().kind == sdk::ErrorKind::not_found) {
            return std::vector<AlbumStatus>{};
        }
        return std::unexpected(store.error());
    }
    auto targets = store->summaries(album);
    if (!targets) {
        return std::unexpected(targets.error());
    }
    std::vector<AlbumStatus> out;
    for (auto& t : *targets) {
        AlbumStatus a{t.key.source,       t.key.destination,       t.key.album, t.container_id,
                      t.committed,        t.staged + t.committing, t.failed,    t.last_run_state,
                      t.last_run_started, t.last_run_finished,     {}};
        for (auto& f : t.failures) {
            a.failures.push_back(
                ItemFailure{f.path, sdk::Error{sdk::ErrorKind::io, f.error, std::nullopt}});
        }
        out.push_back(std::move(a));
    }
    return out;
}

sdk::Result<VerifyReport> Engine::verify(const Endpoint& endpoint, const std::string& album) {
    auto destination = impl_->registry.make_destination(
        endpoint.plugin, impl_->context_for(endpoint.plugin), endpoint.config);
    if (!destination) {
        return std::unexpected(destination.error());
    }
    auto store = StateStore::open_existing(StateStore::file_in(impl_->state_dir));
    if (!store) {
        return std::unexpected(store.error());
    }
    auto targets = store->summaries(album);
    if (!targets) {
        return std::unexpected(targets.error());
    }
    // Every source synced into this album at this destination.
    std::string album_id;
    std::vector<LedgerEntry> committed;
    auto describe = (*destination)->describe();
    for (const auto& t : *targets) {
        if (t.key.destination != describe) {
            continue;
        }
        album_id = album_id.empty() ? t.container_id : album_id;
        auto rows = store->in_state(t.id, ItemState::committed);
        if (!rows) {
            return std::unexpected(rows.error());
        }
        committed.insert(committed.end(), rows->begin(), rows->end());
    }
    if (album_id.empty()) {
        return sdk::fail(sdk::ErrorKind::not_found, "the ledger has no album '" + album + "' at " +
                                                        describe + ": nothing to verify");
    }
    auto dest = *destination;
    auto list = [dest, album_id,
                 album]() -> sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>> {
        const sdk::ContainerRequest request{album, album_id, false};
        auto container = co_await dest->resolve_container(request);
        if (!container) {
            co_return std::unexpected(container.error());
        }
        co_return co_await dest->list_container(*container);
    };
    auto remote =
        boost::asio::co_spawn(impl_->io.get_executor(), list(), boost::asio::use_future).get();
    if (!remote) {
        return std::unexpected(remote.error());
    }
    VerifyReport report;
    report.album_id = album_id;
    std::unordered_set<std::string> listed;
    for (const auto& r : *remote) {
        listed.insert(r.id);
    }
    std::unordered_set<std::string> known;
    for (const auto& e : committed) {
        known.insert(e.remote_id);
        if (listed.contains(e.remote_id)) {
            ++report.present;
        } else {
            report.missing.push_back(e.path);
        }
    }
    for (const auto& r : *remote) {
        if (!known.contains(r.id)) {
            report.extra.push_back(r.name);
        }
    }
    return report;
}

}  // namespace photosync::engine
