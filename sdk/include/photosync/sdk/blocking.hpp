// Runs a blocking call (file I/O) on the PluginContext's blocking executor and
// resumes the caller on its own executor, so the engine's threads never block.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>
#include <optional>
#include <type_traits>

#include "photosync/sdk/asio.hpp"

namespace photosync::sdk {

template <class F>
auto run_blocking(boost::asio::any_io_executor blocking, F f)
    -> awaitable<std::invoke_result_t<F&>> {
    using R = std::invoke_result_t<F&>;
    auto home = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(boost::asio::bind_executor(blocking, use_tuple));
    std::optional<R> result;
    std::exception_ptr error;
    try {
        result.emplace(f());
    } catch (...) {
        error = std::current_exception();
    }
    // Always come back home, also with an exception, before the caller resumes.
    co_await boost::asio::post(boost::asio::bind_executor(home, use_tuple));
    if (error) {
        std::rethrow_exception(error);
    }
    co_return std::move(*result);
}

}  // namespace photosync::sdk
