#include "tls_context.hpp"

#include <openssl/ssl.h>

#include "photosync/sdk/types.hpp"

namespace photosync::gphotos {

namespace ssl = boost::asio::ssl;

sdk::Result<std::shared_ptr<ssl::context>> make_tls_context(
    const std::filesystem::path& extra_ca_file) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                     ec);
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
    // The system store; a machine without one still works with ca_file alone.
    ctx->set_default_verify_paths(ec);
    if (!extra_ca_file.empty()) {
        ctx->load_verify_file(extra_ca_file.string(), ec);
        if (ec) {
            return sdk::fail(sdk::ErrorKind::invalid_input,
                             "gphotos option ca_file: cannot load a CA certificate from " +
                                 sdk::display_path(extra_ca_file.string()) + ": " + ec.message());
        }
    }
    return ctx;
}

}  // namespace photosync::gphotos
