// After upload (--move-to DIR, --delete-after-upload): the engine decides
// when, the source's sdk::SourceItemActions carries the file operation out.
//
// It runs once a job's commits are over, and only when the job was neither
// cancelled nor stopped: the source is listed again, and each item the ledger
// records as committed (with the size and mtime it has now) is moved; with
// delete, each such item whose remote id the album's listing shows is
// deleted. So nothing is touched on an upload's success alone, an item whose
// commit failed or is unknown stays where it is, and an item a crash left
// behind (committed, not yet moved) is moved by the next run, which finds it
// unchanged and uploads nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "path_filter.hpp"
#include "photosync/engine/job.hpp"
#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/source.hpp"
#include "state_store.hpp"

namespace photosync::engine {

// When a job starts, before anything is uploaded: what the spec asks for is
// possible (not both, a source that offers it) and, unless it is a dry run,
// the folder to move to is ready. May block briefly (it may create a folder).
sdk::Result<void> check_after_upload(const JobSpec& spec, sdk::Source& source);

struct AfterUploadHooks {
    std::function<bool()> cancelled;
    // The album's items (with the job's retries); called once, for delete.
    std::function<sdk::awaitable<sdk::Result<std::vector<sdk::RemoteItem>>>()> list_album;
    std::function<void(const sdk::SourceItem&, JobEvent::Type)> done;  // item_moved, item_deleted
    std::function<void(const std::string& path, const sdk::Error&)> kept;  // left in place: why
};

// The pass itself. `album_exists`: false when no album was ever created (then
// nothing can be verified in it). An Error stops the pass (the source cannot
// be listed, the ledger cannot be read, the album cannot be listed); what was
// done until then stays done.
sdk::awaitable<sdk::Result<void>> run_after_upload(const JobSpec& spec, sdk::Source& source,
                                                   StateStore& store, std::int64_t target,
                                                   const PathFilter& filter, bool album_exists,
                                                   AfterUploadHooks hooks);

}  // namespace photosync::engine
