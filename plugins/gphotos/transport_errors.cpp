#include "transport_errors.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace photosync::gphotos {

namespace asio = boost::asio;
using sdk::ErrorKind;

sdk::Error transport_error(const boost::system::error_code& ec, const std::string& what,
                           bool cancelled) {
    if (cancelled) {
        return sdk::Error{ErrorKind::cancelled, "cancelled", std::nullopt};
    }
    if (ec == boost::beast::error::timeout) {
        return sdk::Error{ErrorKind::transient, what + ": timed out", std::nullopt};
    }
    if (ec.category() == asio::error::get_ssl_category()) {
        // Certificate problems do not go away by retrying: the user must act.
        auto reason = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
        if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
            return sdk::Error{ErrorKind::permission,
                              what +
                                  ": the server's certificate is not trusted (if it uses a "
                                  "private CA, name its certificate with -o ca_file=FILE)",
                              std::nullopt};
        }
    }
    if (ec == boost::beast::http::error::body_limit) {
        return sdk::Error{ErrorKind::protocol, what + ": the reply is larger than expected",
                          std::nullopt};
    }
    namespace http = boost::beast::http;
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return sdk::Error{ErrorKind::protocol, what + ": malformed reply (" + ec.message() + ")",
                          std::nullopt};
    }
    return sdk::Error{ErrorKind::transient, what + ": " + ec.message(), std::nullopt};
}

}  // namespace photosync::gphotos
