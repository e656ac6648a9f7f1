#include "tls.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace gpe {

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Bio = std::unique_ptr<BIO, BioFree>;

void check(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string("TLS setup failed: ") + what);
}

Pkey new_key() {
    Pkey k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(k != nullptr, "EC key generation");
    return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Cert new_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
    Cert c(X509_new());
    check(c != nullptr, "X509_new");
    X509_set_version(c.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get()));
    BN_free(bn);
    // Valid from a day ago (clock skew) for 30 days: runs are short.
    X509_gmtime_adj(X509_getm_notBefore(c.get()), -86400);
    X509_gmtime_adj(X509_getm_notAfter(c.get()), 30L * 86400);
    X509_set_pubkey(c.get(), key);
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("photosync emulator"), -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                               -1, -1, 0);
    X509* iss = issuer ? issuer : c.get();
    X509_set_issuer_name(c.get(), X509_get_subject_name(iss));
    add_ext(c.get(), iss, NID_subject_key_identifier, "hash");
    if (ca) {
        add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_ext(c.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    } else {
        add_ext(c.get(), iss, NID_authority_key_identifier, "keyid:always");
        add_ext(c.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(c.get(), iss, NID_key_usage, "critical,digitalSignature,keyEncipherment");
        add_ext(c.get(), iss, NID_ext_key_usage, "serverAuth");
        // Google's host names are included so clients may point them at
        // 127.0.0.1 (e.g. curl --resolve) without turning verification off.
        add_ext(c.get(), iss, NID_subject_alt_name,
                "DNS:localhost,IP:127.0.0.1,IP:::1,DNS:photoslibrary.googleapis.com,"
                "DNS:oauth2.googleapis.com,DNS:accounts.google.com,DNS:www.googleapis.com");
    }
    check(X509_sign(c.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
    return c;
}

std::string cert_pem(X509* c) {
    Bio b(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(b.get(), c) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    const long n = BIO_get_mem_data(b.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string key_pem(EVP_PKEY* k) {
    Bio b(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    const long n = BIO_get_mem_data(b.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& data, bool secret) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << data;
        check(static_cast<bool>(out), "writing a PEM file");
    }
    if (secret)
        std::filesystem::permissions(
            tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::rename(tmp, path);
}

}  // namespace

TlsMaterial make_tls_material(const std::string& ca_file, const std::string& ca_key_file) {
    Pkey ca_key;
    Cert ca;
    const bool reuse = !ca_file.empty() && !ca_key_file.empty() &&
                       std::filesystem::exists(ca_file) && std::filesystem::exists(ca_key_file);
    if (reuse) {
        const std::string cp = read_file(ca_file), kp = read_file(ca_key_file);
        Bio cb(BIO_new_mem_buf(cp.data(), static_cast<int>(cp.size())));
        Bio kb(BIO_new_mem_buf(kp.data(), static_cast<int>(kp.size())));
        ca.reset(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
        ca_key.reset(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
        check(ca && ca_key, "reading the existing CA files");
    } else {
        ca_key = new_key();
        ca = new_cert(ca_key.get(), "photosync emulator throw-away CA", nullptr, nullptr, true);
    }
    Pkey key = new_key();
    Cert cert = new_cert(key.get(), "localhost", ca.get(), ca_key.get(), false);
    TlsMaterial m{cert_pem(ca.get()), key_pem(ca_key.get()), cert_pem(cert.get()),
                  key_pem(key.get())};
    if (!reuse) {
        if (!ca_file.empty())
            write_file(ca_file, m.ca_cert_pem, false);
        if (!ca_key_file.empty())
            write_file(ca_key_file, m.ca_key_pem, true);
    }
    return m;
}

boost::asio::ssl::context make_server_context(const TlsMaterial& m) {
    namespace ssl = boost::asio::ssl;
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                    ssl::context::single_dh_use);
    // Chain: server cert then the CA, as real servers send intermediates.
    const std::string chain = m.server_cert_pem + m.ca_cert_pem;
    ctx.use_certificate_chain(boost::asio::buffer(chain));
    ctx.use_private_key(boost::asio::buffer(m.server_key_pem), ssl::context::pem);
    return ctx;
}

}  // namespace gpe
