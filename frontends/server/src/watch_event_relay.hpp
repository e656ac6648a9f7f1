// A watch job's observer: notes each watch event (a sync started or ended,
// the folder gone or back) on the job's record and publishes it as a "watch"
// server event. Runs on the watch's own thread. The watch starts before its
// job is announced, so events are held until attach() (called right after
// the "job" event) and then published in order.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "event_hub.hpp"
#include "held_events.hpp"
#include "photosync/engine/folder_watch.hpp"

namespace photosync::server {

class JobRecord;

class WatchEventRelay final : public engine::WatchObserver {
  public:
    // `record` is held weakly: the record owns the watch, which owns us.
    // `on_sync_finished` asks the ticker to publish the new state at once.
    WatchEventRelay(std::shared_ptr<EventHub> events, const std::shared_ptr<JobRecord>& record,
                    std::shared_ptr<std::function<void()>> on_sync_finished);

    void on_watch_event(const engine::WatchEvent& event) noexcept override;

    // Publishes the events held so far; later ones go out as they come.
    void attach();

  private:
    std::shared_ptr<EventHub> events_;
    std::weak_ptr<JobRecord> record_;
    std::shared_ptr<std::function<void()>> on_sync_finished_;
    HeldEvents<std::string> held_;  // the published data of each event
};

}  // namespace photosync::server
