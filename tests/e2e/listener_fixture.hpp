// Shared by the listener's attack tests: a notification callback that counts what reaches it
// and answers like a handler whose answers reveal live ids, listeners plain or with the test
// PKI's server certificate, and a timed valid notification.
#pragma once

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "e2e/http.hpp"
#include "e2e/raw_peer.hpp"
#include "myna/client/listener.hpp"
#include "unit/transport_fixture.hpp"

namespace myna::test {

/// Counts the requests reaching the callback and answers 200 for the "live" telegram id, 404
/// otherwise (so that an answer would tell an outsider which ids are live).
struct Counting {
  std::atomic<int> calls{0};
  NotificationCallback callback() {
    return [this](std::string_view body) {
      ++calls;
      NotificationReply reply;
      const bool live = body.find("TL-LIVE") != std::string_view::npos;
      reply.http_status = live ? 200 : 404;
      reply.body = live ? "{\"ok\":true}" : "{\"error\":\"unknown\"}";
      reply.accepted = live;
      return reply;
    };
  }
};

inline const std::string kLive = R"({"commonHeader":{"telegramId":"TL-LIVE"}})";
inline const std::string kUnknown = R"({"commonHeader":{"telegramId":"TL-UNKNOWN"}})";

inline std::unique_ptr<CallbackListener> start_listener(ListenerOptions options, Counting& counting) {
  auto started = CallbackListener::start(std::move(options), counting.callback());
  if (!started) FAIL(started.error().to_string());
  return std::move(*started);
}

/// HTTPS on 127.0.0.1 with the test PKI's server certificate.
inline ListenerOptions tls_listener_options() {
  ListenerOptions o;
  o.cert_file = pki().server_cert;
  o.key_file = pki().server_key;
  return o;
}

inline long long ms_since(SteadyClock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - t0).count();
}

/// POSTs a valid notification as the service would; returns how long the answer took (ms), or
/// -1 if it did not come with status 200.
inline long long timed_valid_post(const std::string& url, const std::string& ca_file = {}) {
  Http http(ca_file);
  http.set_timeout(std::chrono::seconds(10));
  const auto t0 = SteadyClock::now();
  HttpResponse res = http.post(url, kLive, {"Content-Type: application/json"});
  const long long ms = ms_since(t0);
  INFO("curl " << res.code << " status " << res.status);
  return res.code == CURLE_OK && res.status == 200 ? ms : -1;
}

}  // namespace myna::test
