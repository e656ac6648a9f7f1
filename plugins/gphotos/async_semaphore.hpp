// A counting semaphore for coroutines: waiters queue in order (FIFO) and are
// resumed on their own executors. Thread-safe, so one instance may be shared
// by coroutines on different strands (jobs) of the engine's executor.
//
// Used for the connection pool (at most N connections per origin) and for
// the per-account batchCreate lock (N = 1).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "photosync/sdk/asio.hpp"

namespace photosync::gphotos {

class AsyncSemaphore {
  public:
    explicit AsyncSemaphore(std::size_t count) : available_(count) {}
    AsyncSemaphore(const AsyncSemaphore&) = delete;
    AsyncSemaphore& operator=(const AsyncSemaphore&) = delete;

    // A unit held until the permit is destroyed (or release()d).
    class Permit {
      public:
        Permit() = default;
        explicit Permit(AsyncSemaphore* owner) : owner_(owner) {}
        Permit(Permit&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
        Permit& operator=(Permit&& other) noexcept {
            if (this != &other) {
                release();
                owner_ = std::exchange(other.owner_, nullptr);
            }
            return *this;
        }
        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;
        ~Permit() { release(); }
        void release() noexcept {
            if (owner_ != nullptr) {
                std::exchange(owner_, nullptr)->release();
            }
        }
        [[nodiscard]] bool held() const noexcept { return owner_ != nullptr; }

      private:
        AsyncSemaphore* owner_ = nullptr;
    };

    // Waits (in FIFO order) for a unit. Not cancellable: every holder releases
    // within its own (time-limited) operation.
    sdk::awaitable<Permit> acquire();

    // Whether a unit is free right now (for tests and diagnostics).
    [[nodiscard]] std::size_t available() const;

  private:
    void release() noexcept;

    mutable std::mutex mutex_;
    std::size_t available_;
    struct Waiter {
        boost::asio::any_io_executor executor;  // where the waiter resumes
        std::function<void()> resume;           // completes the waiter's co_await
    };
    std::deque<Waiter> waiters_;
};

}  // namespace photosync::gphotos
