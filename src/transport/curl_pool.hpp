// The libcurl transport's connection pool: slots (an easy handle and the multi handle that
// drives it, which owns the keep-alive connection cache) kept on a mutex-guarded stack owned
// by one transport object. Each slot also records what the TLS layer saw during a transfer.
// Internal to curl_transport.cpp.
#pragma once

#include <curl/curl.h>
#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace myna::internal {

/// What the TLS layer saw during one transfer. With TLS 1.3 the server checks the client
/// certificate only after the client has finished its handshake, so a rejected certificate
/// shows up later as a dropped connection; these facts tell that apart from a network drop.
struct TlsEvidence {
  bool tls13 = false;                  ///< the handshake negotiated TLS 1.3
  bool certificate_requested = false;  ///< the server sent a CertificateRequest
  bool session_ticket = false;         ///< a NewSessionTicket: the server accepted the handshake
  bool fatal_alert = false;            ///< the server sent an alert other than close_notify
};

/// OpenSSL's protocol-message callback (it sees plaintext messages, TLS 1.3 included).
inline void on_tls_message(int write_p, int version, int content_type, const void* buf, std::size_t len, SSL* /*ssl*/,
                           void* arg) {
  if (write_p || !arg || len == 0) return;
  auto& evidence = *static_cast<TlsEvidence*>(arg);
  const auto* bytes = static_cast<const unsigned char*>(buf);
  if (content_type == SSL3_RT_HANDSHAKE) {
    evidence.tls13 = evidence.tls13 || version == TLS1_3_VERSION;
    if (bytes[0] == SSL3_MT_CERTIFICATE_REQUEST) evidence.certificate_requested = true;
    if (bytes[0] == SSL3_MT_NEWSESSION_TICKET) evidence.session_ticket = true;
  }
  if (content_type == SSL3_RT_ALERT && len >= 2 && bytes[1] != SSL_AD_CLOSE_NOTIFY) evidence.fatal_alert = true;
}

/// CURLOPT_SSL_CTX_FUNCTION: libcurl calls it with each new TLS connection's SSL_CTX.
inline CURLcode on_ssl_context(CURL* /*easy*/, void* ssl_ctx, void* evidence) {
  SSL_CTX_set_msg_callback(static_cast<SSL_CTX*>(ssl_ctx), on_tls_message);
  SSL_CTX_set_msg_callback_arg(static_cast<SSL_CTX*>(ssl_ctx), evidence);
  return CURLE_OK;
}

/// One pooled slot. The multi handle owns the connection cache, so a slot taken again
/// reuses its keep-alive connection.
class Slot {
 public:
  Slot() : easy_(curl_easy_init()), multi_(curl_multi_init()) {}
  ~Slot() {
    if (multi_) curl_multi_cleanup(multi_);  // closes the connections first
    if (easy_) curl_easy_cleanup(easy_);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

  bool valid() const { return easy_ && multi_; }
  CURL* easy() const { return easy_; }
  CURLM* multi() const { return multi_; }
  /// Lives as long as the slot's connections, whose SSL_CTX callbacks write here.
  TlsEvidence& evidence() { return evidence_; }

 private:
  CURL* easy_;
  CURLM* multi_;
  TlsEvidence evidence_;
};

/// A mutex-guarded stack of idle slots.
class SlotPool {
 public:
  explicit SlotPool(std::size_t max_idle) : max_idle_(max_idle) {}

  /// An idle slot, or a new one; nullptr only when libcurl cannot allocate.
  std::unique_ptr<Slot> acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<Slot> slot = std::move(idle_.back());
        idle_.pop_back();
        return slot;
      }
    }
    return fresh();
  }

  /// A new slot with no connection yet (never one from the pool).
  std::unique_ptr<Slot> fresh() {
    auto slot = std::make_unique<Slot>();
    return slot->valid() ? std::move(slot) : nullptr;
  }

  /// Keeps a slot whose transfer succeeded, up to max_idle; any other is closed.
  void release(std::unique_ptr<Slot> slot, bool transfer_ok) {
    if (!transfer_ok) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(slot));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Slot>> idle_;
  std::size_t max_idle_;
};

}  // namespace myna::internal
