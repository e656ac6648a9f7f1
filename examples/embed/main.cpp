// embed-sync FOLDER ALBUM DESTINATION — the engine inside your own program:
// create an Engine (it finds the installed plugins), start a job, watch its
// events, wait for the report.
#include <cstdio>
#include <mutex>
#include <photosync/engine/engine.hpp>

namespace {

class PrintEvents final : public photosync::engine::JobObserver {
  public:
    void on_event(const photosync::engine::JobEvent& e) noexcept override {
        using Type = photosync::engine::JobEvent::Type;
        std::lock_guard lock(mutex_);  // events may come from several engine threads
        switch (e.type) {
            case Type::item_committed:
                std::printf("added   %s\n", e.path.c_str());
                break;
            case Type::item_failed:
                std::printf("failed  %s: %s\n", e.path.c_str(), e.error->message.c_str());
                break;
            case Type::finished:
                std::printf("finished: %s\n", photosync::engine::to_string(e.state).data());
                break;
            default:
                break;
        }
    }

  private:
    std::mutex mutex_;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr,
                     "usage: embed-sync FOLDER ALBUM DESTINATION (e.g. folder:/tmp/albums)\n");
        return 2;
    }
    photosync::engine::Engine engine;  // standard plugin search path, $XDG_STATE_HOME ledger
    auto source = photosync::engine::Endpoint::parse(std::string("local:") + argv[1]);
    auto destination = photosync::engine::Endpoint::parse(argv[3]);
    if (!source || !destination) {
        std::fprintf(stderr, "bad endpoint\n");
        return 2;
    }
    photosync::engine::JobSpec spec;
    spec.source = *source;
    spec.destination = *destination;
    spec.album = argv[2];
    auto job = engine.start(spec, std::make_shared<PrintEvents>());
    if (!job) {
        std::fprintf(stderr, "embed-sync: %s\n", job.error().message.c_str());
        return 2;
    }
    auto report = (*job)->wait();
    std::printf("%llu added, %llu unchanged, %llu failed\n",
                static_cast<unsigned long long>(report.counters.files_done),
                static_cast<unsigned long long>(report.counters.files_unchanged),
                static_cast<unsigned long long>(report.failures_total));
    return report.state == photosync::engine::JobState::succeeded ? 0 : 1;
}
