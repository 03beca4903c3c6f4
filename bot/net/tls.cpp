#include "bot/net/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace lianxin::net {

boost::asio::ssl::context make_client_tls_context(const std::string& extra_ca_pem) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  ctx.set_default_verify_paths(ec);
  if (ec) throw std::runtime_error("tls: cannot load the system CA store: " + ec.message());
  if (!extra_ca_pem.empty()) {
    ctx.add_certificate_authority(boost::asio::buffer(extra_ca_pem), ec);
    if (ec) throw std::runtime_error("tls: extra CA PEM is not usable: " + ec.message());
  }
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

bool prepare_tls_session(ssl_st* ssl, const std::string& host, bool host_is_ip) {
  if (host_is_ip) {
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return false;
  // Partial wildcards ("w*.example.com") are not accepted, as browsers do.
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set1_host(ssl, host.c_str()) == 1;
}

std::string describe_tls_failure(ssl_st* ssl, std::string_view fallback) {
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
  }
  return std::string(fallback);
}

}  // namespace lianxin::net
