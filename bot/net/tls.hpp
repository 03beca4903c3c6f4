#pragma once
// TLS settings for outbound calls, apart from the client so the policy is in one place:
// verify against the system store (plus extra PEM), TLS 1.2+, SNI and host-name checks.
#include <boost/asio/ssl/context.hpp>

#include <string>
#include <string_view>

struct ssl_st;

namespace lianxin::net {

// Throws std::runtime_error for unusable extra CA PEM (a startup error, not an I/O one).
boost::asio::ssl::context make_client_tls_context(const std::string& extra_ca_pem);

// Before the handshake on one connection: SNI for names (never for IP literals, RFC 6066),
// and the name or IP the peer certificate must carry. False when OpenSSL refuses the name.
bool prepare_tls_session(ssl_st* ssl, const std::string& host, bool host_is_ip);

// After a failed handshake: "certificate verify failed: self-signed certificate" when the
// chain or name was rejected, else the error's own message.
std::string describe_tls_failure(ssl_st* ssl, std::string_view fallback);

}  // namespace lianxin::net
