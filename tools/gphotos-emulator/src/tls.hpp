#pragma once
// Throw-away PKI for HTTPS on loopback: a CA (written to a PEM file that
// clients trust) and a server certificate for localhost/127.0.0.1/::1.

#include <boost/asio/ssl/context.hpp>
#include <string>

namespace gpe {

struct TlsMaterial {
    std::string ca_cert_pem;
    std::string ca_key_pem;
    std::string server_cert_pem;
    std::string server_key_pem;
};

// Generates a fresh CA, or reuses ca_file + ca_key_file when both exist, and
// issues a server certificate signed by it. Writes the CA (and key) files.
TlsMaterial make_tls_material(const std::string& ca_file, const std::string& ca_key_file);

boost::asio::ssl::context make_server_context(const TlsMaterial& m);

}  // namespace gpe
