#include "watch_event_relay.hpp"

#include "job_registry.hpp"
#include "json_mapping.hpp"

namespace photosync::server {

WatchEventRelay::WatchEventRelay(std::shared_ptr<EventHub> events,
                                 const std::shared_ptr<JobRecord>& record,
                                 std::shared_ptr<std::function<void()>> on_sync_finished)
    : events_(std::move(events)), record_(record), on_sync_finished_(std::move(on_sync_finished)) {}

void WatchEventRelay::on_watch_event(const engine::WatchEvent& event) noexcept {
    try {
        auto record = record_.lock();
        if (!record) {
            return;
        }
        record->note_watch_event(event);
        auto data = dump_json(watch_event_json(record->id(), event));
        if (!held_.offer(std::move(data),
                         [this](const std::string& d) { events_->publish("watch", d); })) {
            return;  // a finished sync before the announcement: the ticker sees it anyway
        }
        if (event.type == engine::WatchEvent::Type::sync_finished && on_sync_finished_ &&
            *on_sync_finished_) {
            (*on_sync_finished_)();
        }
    } catch (...) {
        // Out of memory while relaying: the event is lost, the watch goes on.
    }
}

void WatchEventRelay::attach() {
    held_.announce([] {}, [this](const std::string& d) { events_->publish("watch", d); });
}

}  // namespace photosync::server
