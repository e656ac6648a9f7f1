#include "async_semaphore.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

namespace photosync::gphotos {

namespace asio = boost::asio;

sdk::awaitable<AsyncSemaphore::Permit> AsyncSemaphore::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (available_ > 0 && waiters_.empty()) {
            --available_;
            co_return Permit(this);
        }
    }
    auto executor = co_await asio::this_coro::executor;
    // A named initiation with trivially copyable captures: GCC 12 destroys
    // temporaries of a co_await expression twice (a captured executor would
    // lose a reference each time).
    auto* resume_on = &executor;
    auto initiation = [this, resume_on](auto handler) {
        std::unique_lock lock(mutex_);
        if (available_ > 0 && waiters_.empty()) {
            --available_;
            lock.unlock();
            asio::post(*resume_on, std::move(handler));
            return;
        }
        // Completion handlers are move-only; std::function wants a copyable target.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        waiters_.push_back(Waiter{*resume_on, [shared] { std::move (*shared)(); }});
    };
    co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(initiation,
                                                                         asio::use_awaitable);
    co_return Permit(this);
}

std::size_t AsyncSemaphore::available() const {
    std::lock_guard lock(mutex_);
    return available_;
}

void AsyncSemaphore::release() noexcept {
    std::unique_lock lock(mutex_);
    if (waiters_.empty()) {
        ++available_;
        return;
    }
    // The unit passes straight to the next waiter, resumed on its executor.
    auto next = std::move(waiters_.front());
    waiters_.pop_front();
    lock.unlock();
    try {
        asio::post(next.executor, std::move(next.resume));
    } catch (...) {
        // Posting fails only when the executor is shutting down: the waiter is gone too.
    }
}

}  // namespace photosync::gphotos
