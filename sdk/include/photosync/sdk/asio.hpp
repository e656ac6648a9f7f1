// The one completion-token convention of photosync. Boost 1.81 has no default
// completion token; every asynchronous operation in our code uses
// `use_tuple`, so errors come back as values (never as exceptions) and are
// turned into sdk::Error at the boundary.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace photosync::sdk {

template <class T>
using awaitable = boost::asio::awaitable<T>;

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace photosync::sdk
