#include "job_event_relay.hpp"

#include "job_registry.hpp"
#include "json_mapping.hpp"
#include "photosync/sdk/types.hpp"

namespace photosync::server {

JobEventRelay::JobEventRelay(std::shared_ptr<EventHub> events,
                             std::shared_ptr<std::function<void()>> on_finished)
    : events_(std::move(events)), on_finished_(std::move(on_finished)) {}

void JobEventRelay::attach(const std::shared_ptr<JobRecord>& record,
                           const std::function<void()>& announce) {
    held_.announce(
        [&] {
            record_ = record;
            announce();
        },
        [&](const engine::JobEvent& e) { relay(*record, e); });
}

void JobEventRelay::on_event(const engine::JobEvent& event) noexcept {
    try {
        held_.offer(event, [this](const engine::JobEvent& e) {
            if (auto record = record_.lock()) {
                relay(*record, e);
            }
        });
    } catch (...) {
        // Out of memory while relaying: the event is lost, the job goes on.
    }
}

void JobEventRelay::relay(JobRecord& record, const engine::JobEvent& e) {
    using T = engine::JobEvent::Type;
    switch (e.type) {
        case T::container_ready:
            record.note_album_ready();
            break;
        case T::item_failed:
        case T::scan_problem:
            record.note_failure(FailureView{
                sdk::display_path(e.path),
                e.error ? std::string(sdk::to_string(e.error->kind)) : std::string("internal"),
                e.error ? e.error->message : std::string("failed"), e.type == T::scan_problem});
            break;
        case T::finished:
            record.note_finished_event();
            break;
        default:
            break;
    }
    bool item = e.type == T::item_staged || e.type == T::item_committed || e.type == T::planned;
    events_->publish(event_name(e.type), dump_json(event_json(record.id(), e)), item);
    if (e.type == T::finished && on_finished_ && *on_finished_) {
        (*on_finished_)();
    }
}

}  // namespace photosync::server
