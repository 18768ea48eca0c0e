// CURLcode → Error: one place that decides the category and writes a message saying what to
// do. Messages carry the request's method and redacted URL and libcurl's own text, never
// header values, bodies, query strings or secrets. Internal to curl_transport.cpp.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "internal/text.hpp"
#include "myna/error.hpp"
#include "myna/transport/curl_transport.hpp"
#include "transport/curl_pool.hpp"

namespace myna::internal {

/// Everything known about a failed transfer.
struct Failure {
  CURLcode code;
  const std::string& what;  ///< "GET https://host/path"
  std::string detail;       ///< "libcurl error 60: SSL certificate problem: …"
  TlsEvidence tls;
  bool got_response_headers;  ///< the service had started answering
  bool deadline_passed;       ///< the Context's deadline had passed
  const CurlTransportOptions& options;
};

inline std::string curl_detail(CURLcode code, const char* error_buffer) {
  return "libcurl error " + std::to_string(static_cast<int>(code)) + ": " +
         (error_buffer && *error_buffer ? error_buffer : curl_easy_strerror(code));
}

inline bool is_tls_code(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
#if LIBCURL_VERSION_NUM >= 0x074d00
    case CURLE_SSL_CLIENTCERT:
#endif
      return true;
    default: return false;
  }
}

inline bool is_network_code(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
#if LIBCURL_VERSION_NUM >= 0x074b00
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
#endif
#if LIBCURL_VERSION_NUM >= 0x074e00
    case CURLE_PROXY:
#endif
      return true;
    default: return false;
  }
}

/// The connection broke after it was set up.
inline bool is_dropped_connection(CURLcode code) {
  return code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR || code == CURLE_GOT_NOTHING;
}

/// A dropped connection caused by the service rejecting our client certificate. A TLS 1.3
/// server checks it after the client's Finished, sends an alert and hangs up; the alert is
/// often never read (the reset comes first). So: an alert arrived, or a TLS 1.3 server asked
/// for a certificate and hung up without accepting the handshake (no session ticket) and
/// without answering.
inline bool rejected_client_certificate(const Failure& f) {
  if (!is_dropped_connection(f.code)) return false;
  if (f.tls.fatal_alert || icontains(f.detail, "alert")) return true;
  return f.tls.tls13 && f.tls.certificate_requested && !f.tls.session_ticket && !f.got_response_headers;
}

inline Error tls_error(const Failure& f) {
  std::string text = f.what;
  if (f.code == CURLE_PEER_FAILED_VERIFICATION) {
    text += ": the service's TLS certificate could not be verified (" + f.detail +
            "); check TlsOptions::ca_file and that the URL's host name is in the certificate";
  } else if (f.code == CURLE_SSL_CERTPROBLEM) {
    text += ": the client certificate or key could not be used (" + f.detail +
            "); check client_cert_file, client_key_file and client_key_passphrase";
  } else if (is_dropped_connection(f.code)) {
    text +=
        ": the service closed the TLS connection after asking for a client certificate, so it most "
        "likely rejected it (" +
        f.detail +
        "); check that TlsOptions::client_cert_file is set and is the certificate registered with the service";
  } else {
    text += ": the TLS handshake failed (" + f.detail + "); check ca_file, the client certificate and the service URL";
  }
  return Error(ErrorCategory::tls, std::move(text));
}

inline Error deadline_error(const std::string& what) {
  return Error(ErrorCategory::timeout,
               what + ": the operation's deadline passed; allow more time (Context::with_timeout) or retry later");
}

inline Error timeout_error(const Failure& f) {
  const CurlTransportOptions& o = f.options;
  if (icontains(f.detail, "too slow")) {
    return Error(ErrorCategory::timeout, f.what + ": the transfer stalled (fewer than " +
                                             std::to_string(o.low_speed_bytes) + " bytes/s for " +
                                             std::to_string(o.low_speed_time.count()) + " s); retry later");
  }
  if (icontains(f.detail, "connect") || icontains(f.detail, "resolv")) {
    return Error(ErrorCategory::timeout, f.what + ": connecting took longer than connect_timeout (" +
                                             std::to_string(o.connect_timeout.count()) +
                                             " ms); check the network and the proxy, then retry");
  }
  if (f.deadline_passed) return deadline_error(f.what);
  return Error(ErrorCategory::timeout, f.what + ": no complete response within total_timeout (" +
                                           std::to_string(o.total_timeout.count()) + " ms); retry later");
}

inline Error size_cap_error(const std::string& what, std::size_t cap) {
  return Error(ErrorCategory::protocol, what + ": the response body exceeds max_response_bytes (" +
                                            std::to_string(cap) +
                                            " bytes); raise CurlTransportOptions::max_response_bytes or stream it with "
                                            "HttpRequest::on_body_chunk");
}

inline Error curl_error(const Failure& f) {
  if (is_tls_code(f.code) || rejected_client_certificate(f)) return tls_error(f);
  if (f.code == CURLE_OPERATION_TIMEDOUT) return timeout_error(f);
  if (f.code == CURLE_FILESIZE_EXCEEDED) return size_cap_error(f.what, f.options.max_response_bytes);
  if (f.code == CURLE_GOT_NOTHING) {
    return Error(ErrorCategory::network,
                 f.what + ": the service closed the connection without answering (" + f.detail + "); retry later");
  }
  if (is_network_code(f.code)) {
    return Error(ErrorCategory::network, f.what + ": the connection failed (" + f.detail +
                                             "); check the network, the proxy and the URL, then retry");
  }
  if (f.code == CURLE_URL_MALFORMAT || f.code == CURLE_UNSUPPORTED_PROTOCOL) {
    return Error(ErrorCategory::validation, f.what + ": the URL cannot be used (" + f.detail + ")");
  }
  if (f.code == CURLE_WEIRD_SERVER_REPLY || f.code == CURLE_BAD_CONTENT_ENCODING) {
    return Error(ErrorCategory::protocol, f.what + ": the service sent a malformed HTTP response (" + f.detail + ")");
  }
  return Error(ErrorCategory::network, f.what + ": the request failed (" + f.detail + "); retry later");
}

}  // namespace myna::internal
