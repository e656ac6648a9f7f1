#include "after_upload.hpp"

#include <unordered_set>
#include <variant>

#include "photosync/sdk/source_actions.hpp"

namespace photosync::engine {

using sdk::ErrorKind;
using sdk::Result;

namespace {

sdk::SourceItemActions* actions_of(sdk::Source& source) {
    return dynamic_cast<sdk::SourceItemActions*>(&source);
}

// The ledger says this very file (same size and mtime) is committed.
bool committed_as_is(const std::optional<LedgerEntry>& known, const sdk::SourceItem& item) {
    return known && known->state == ItemState::committed && known->size == item.size &&
           known->mtime_ns == to_unix_ns(item.mtime);
}

}  // namespace

Result<void> check_after_upload(const JobSpec& spec, sdk::Source& source) {
    const bool move = !spec.move_to.empty();
    if (!move && !spec.delete_after_upload) {
        return {};
    }
    if (move && spec.delete_after_upload) {
        return sdk::fail(ErrorKind::invalid_input,
                         "move-to and delete-after-upload cannot be used together: choose one");
    }
    auto* actions = actions_of(source);
    if (actions == nullptr) {
        return sdk::fail(ErrorKind::invalid_input,
                         source.describe() +
                             " cannot move or delete its files after upload (its plugin does "
                             "not offer it): run without move-to or delete-after-upload");
    }
    if (move && !spec.dry_run) {
        return actions->prepare_move(spec.move_to);
    }
    return {};
}

sdk::awaitable<Result<void>> run_after_upload(const JobSpec& spec, sdk::Source& source,
                                              StateStore& store, std::int64_t target,
                                              const PathFilter& filter, bool album_exists,
                                              AfterUploadHooks hooks) {
    auto* actions = actions_of(source);
    if (actions == nullptr) {
        co_return sdk::fail(ErrorKind::internal, "after upload: the source offers no actions");
    }
    const bool remove = spec.delete_after_upload;
    // Delete only what the album is seen to hold, by the remote id the commit gave.
    std::unordered_set<std::string> listed;
    if (remove && album_exists) {
        auto remote = co_await hooks.list_album();
        if (!remote) {
            co_return sdk::fail(remote.error().kind,
                                "cannot list the album to check what to delete (" +
                                    remote.error().message + "): nothing was deleted");
        }
        for (auto& r : *remote) {
            listed.insert(std::move(r.id));
        }
    }
    auto lister = co_await source.list();
    if (!lister) {
        co_return std::unexpected(std::move(lister.error()));
    }
    while (!hooks.cancelled()) {
        auto entry = co_await (*lister)->next();
        if (!entry) {
            co_return std::unexpected(std::move(entry.error()));
        }
        if (!*entry) {
            break;
        }
        auto* item = std::get_if<sdk::SourceItem>(&**entry);
        if (item == nullptr || !filter.accepts(item->path)) {
            continue;
        }
        auto known = store.find(target, item->path);
        if (!known) {
            co_return std::unexpected(std::move(known.error()));
        }
        if (!committed_as_is(*known, *item)) {
            continue;  // not (yet) in the album, or changed since: it stays
        }
        Result<void> done;
        if (remove) {
            if (!listed.contains((*known)->remote_id)) {
                hooks.kept(item->path,
                           sdk::Error{ErrorKind::not_found,
                                      "not deleted: the album's listing does not show it (yet); "
                                      "it stays, and the next run checks again",
                                      std::nullopt});
                continue;
            }
            done = co_await actions->remove_item(*item);
        } else {
            done = co_await actions->move_item(*item, spec.move_to);
        }
        if (!done) {
            hooks.kept(item->path, done.error());
            continue;
        }
        hooks.done(*item, remove ? JobEvent::Type::item_deleted : JobEvent::Type::item_moved);
    }
    co_return Result<void>{};
}

}  // namespace photosync::engine
