// A job's observer: turns the engine's events (on engine threads) into
// server events and notes failures on the job's record. Events that arrive
// before the record exists (the job starts running inside Engine::start)
// are held and relayed, in order, once it is attached.
#pragma once

#include <functional>
#include <memory>

#include "event_hub.hpp"
#include "held_events.hpp"
#include "photosync/engine/job.hpp"

namespace photosync::server {

class JobRecord;

class JobEventRelay final : public engine::JobObserver {
  public:
    JobEventRelay(std::shared_ptr<EventHub> events,
                  std::shared_ptr<std::function<void()>> on_finished);

    // `announce` runs first (publishes the job itself), then held events.
    void attach(const std::shared_ptr<JobRecord>& record, const std::function<void()>& announce);

    void on_event(const engine::JobEvent& event) noexcept override;

  private:
    void relay(JobRecord& record, const engine::JobEvent& event);

    std::shared_ptr<EventHub> events_;
    std::shared_ptr<std::function<void()>> on_finished_;
    std::weak_ptr<JobRecord> record_;  // the record owns the job, which owns us
    HeldEvents<engine::JobEvent> held_;
};

}  // namespace photosync::server
