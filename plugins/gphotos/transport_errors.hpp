// Socket, TLS and HTTP-parsing failures as typed sdk::Errors: what a retry can
// do about them. (Replies the server did send are classified in api_errors.)
#pragma once

#include <boost/asio/cancellation_state.hpp>
#include <boost/system/error_code.hpp>
#include <string>

#include "photosync/sdk/asio.hpp"
#include "photosync/sdk/error.hpp"

namespace photosync::gphotos {

// `what` names the operation, e.g. "cannot connect to photoslibrary.googleapis.com".
// With `cancelled` (the caller's cancellation slot fired) the kind is cancelled.
[[nodiscard]] sdk::Error transport_error(const boost::system::error_code& ec,
                                         const std::string& what, bool cancelled);

// Whether a coroutine's cancellation slot has fired (get the state once with
// `co_await boost::asio::this_coro::cancellation_state`).
[[nodiscard]] inline bool cancelled(const boost::asio::cancellation_state& state) noexcept {
    return state.cancelled() != boost::asio::cancellation_type::none;
}

}  // namespace photosync::gphotos
