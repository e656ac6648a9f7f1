// Runs a coroutine to completion from a test's (synchronous) body.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "photosync/sdk/asio.hpp"

namespace photosync::test {

template <class T>
T run_awaitable(boost::asio::io_context& io, sdk::awaitable<T> task) {
    auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
    io.restart();
    io.run();
    return future.get();
}

}  // namespace photosync::test
