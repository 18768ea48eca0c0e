// End-to-end harness: a sandbox, the provider's notification endpoint (HTTPS with a certificate
// from the sandbox CA, answering the echo) and raw-libcurl helpers for each wire step.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/http.hpp"
#include "myna/codec/envelope.hpp"
#include "myna/codec/payload.hpp"
#include "myna/query/query.hpp"
#include "myna/sandbox/sandbox.hpp"

namespace myna::test {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

struct Received {
  CommonHeader header;
  SteadyClock::time_point at;
};

/// The provider's notification endpoint.
class ProviderEndpoint {
 public:
  enum class Policy { echo_all, echo_known };  ///< echo_known: 404 + E0002 for unknown processIds

  ProviderEndpoint(const sandbox::SandboxCredentials& credentials, Profile profile, bool tls = true)
      : profile_(std::move(profile)), tls_(tls) {
    if (tls)
      server_ = std::make_unique<httplib::SSLServer>(credentials.listener_cert_file.c_str(),
                                                     credentials.listener_key_file.c_str());
    else
      server_ = std::make_unique<httplib::Server>();
    server_->set_keep_alive_timeout(1);
    server_->Post("/notify", [this](const httplib::Request& req, httplib::Response& res) { on_post(req, res); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(1ms);
  }
  ~ProviderEndpoint() {
    server_->stop();
    thread_.join();
  }

  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/notify";
  }
  void set_policy(Policy policy) {
    std::lock_guard<std::mutex> lock(mutex_);
    policy_ = policy;
  }
  void expect(const std::string& process_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    known_.insert(process_id);
  }
  std::vector<Received> received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }
  /// Waits until `count` notifications arrived; returns what arrived.
  std::vector<Received> wait_for(std::size_t count, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    arrived_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
    return received_;
  }
  /// The first notification for this processId, if it arrives in time.
  std::optional<Received> wait_for_process(const std::string& process_id, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::optional<Received> found;
    arrived_.wait_for(lock, timeout, [&] {
      for (const auto& r : received_)
        if (r.header.process_id == process_id) return found = r, true;
      return false;
    });
    return found;
  }

 private:
  void on_post(const httplib::Request& req, httplib::Response& res) {
    auto header = codec::decode_header(req.body, profile_);
    if (!header) {
      res.status = 400;
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    received_.push_back({*header, SteadyClock::now()});
    arrived_.notify_all();
    bool known = policy_ == Policy::echo_all || known_.count(header->process_id) > 0;
    CommonHeader reply{header->telegram_id, profile_.notification_reply_type, header->mode, header->process_id,
                       known ? header->error_code : "E0002"};
    res.status = known ? 200 : 404;
    res.set_content(codec::encode_header(reply), "application/json");
  }

  Profile profile_;
  bool tls_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Received> received_;
  std::set<std::string> known_;
  Policy policy_ = Policy::echo_all;
};

/// A fresh, unique, well-formed telegramId.
inline std::string next_telegram_id(const Profile& profile) {
  static std::atomic<unsigned> sequence{0};
  unsigned n = sequence++;
  char id[40];
  std::snprintf(id, sizeof id, "TL-%s-2601010930%02u-%04u", profile.provider_number.c_str(), (n / 10000) % 60,
                n % 10000);
  return id;
}

/// The value of a query parameter of a URL (percent-decoded), or nullopt.
inline std::optional<std::string> query_param(const std::string& url, const std::string& name) {
  auto q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string query = url.substr(q + 1);
  for (std::size_t pos = 0; pos <= query.size();) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    std::string pair = query.substr(pos, amp - pos);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      std::string raw = eq == std::string::npos ? "" : pair.substr(eq + 1), out;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%' && i + 2 < raw.size()) {
          out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          out += raw[i] == '+' ? ' ' : raw[i];
        }
      }
      return out;
    }
    pos = amp + 1;
  }
  return std::nullopt;
}

inline std::string url_encode(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

struct Session {
  std::string access_token, refresh_token;
};

/// A running sandbox, its notification endpoint and helpers for each wire step.
class Harness {
 public:
  explicit Harness(sandbox::SandboxOptions options = {}, bool endpoint_tls = true)
      : sandbox(sandbox::Sandbox::start(std::move(options))),
        profile(sandbox->client_profile()),
        api(sandbox->credentials().ca_file, sandbox->credentials().client_cert_file,
            sandbox->credentials().client_key_file),
        endpoint(sandbox->credentials(), profile, endpoint_tls) {
    sandbox->set_notification_urls({endpoint.url()});
  }
  /// The sandbox first: its notifier then closes its keep-alive connections to the endpoint.
  ~Harness() { sandbox->stop(); }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  std::string authorize_url(const std::string& state = "st4te", const std::string& extra = "") const {
    return profile.authorize_base_url + profile.authorize_path +
           "?response_type=code&client_id=" + url_encode(profile.client_id) +
           "&redirect_uri=" + url_encode(profile.redirect_uri) + "&state=" + url_encode(state) +
           "&login_type=" + profile.login_type + extra;
  }

  std::string code_for(const std::string& citizen, const std::string& extra = "") {
    std::string location = sandbox->authorize_as(citizen, authorize_url("st4te", extra));
    return query_param(location, "code").value_or("");
  }

  HttpResponse exchange(const std::string& code, const std::string& extra = "") {
    return api.post(url(profile.token_path), "grant_type=authorization_code&code=" + url_encode(code) +
                                                 "&redirect_uri=" + url_encode(profile.redirect_uri) +
                                                 "&client_id=" + url_encode(profile.client_id) + extra);
  }

  Session sign_in(const std::string& citizen) {
    HttpResponse res = exchange(code_for(citizen));
    Session s;
    s.access_token = json_string(res.body, "access_token");
    s.refresh_token = json_string(res.body, "refresh_token");
    return s;
  }

  HttpResponse send_request(const std::string& token, const std::string& telegram_id, const Query& query) {
    RequestTelegram t{{telegram_id, profile.request_type, profile.mode, "", ""}, query.to_filter(profile)};
    return api.post(url(profile.request_path), codec::encode_request(t), bearer(token));
  }

  HttpResponse fetch_result(const std::string& token, const std::string& telegram_id, const std::string& process_id,
                            BodySink sink = {}) {
    std::string body = codec::encode_header({telegram_id, profile.result_request_type, profile.mode, process_id, ""});
    return api.post(url(profile.result_path), body, bearer(token), std::move(sink));
  }

  /// The commonHeader of a telegram response.
  CommonHeader header_of(const HttpResponse& res) const {
    auto header = codec::decode_header(res.body, profile);
    return header ? *header : CommonHeader{};
  }

  std::string url(const std::string& path) const { return profile.api_base_url + path; }
  static std::vector<std::string> bearer(const std::string& token) { return {"Authorization: Bearer " + token}; }

  /// A top-level string member of a flat JSON object (token responses in tests).
  static std::string json_string(const std::string& json, const std::string& name) {
    std::string key = "\"" + name + "\":\"";
    auto at = json.find(key);
    if (at == std::string::npos) return {};
    at += key.size();
    return json.substr(at, json.find('"', at) - at);
  }

  /// Polls until pred() holds or the timeout passes.
  template <class Pred>
  static bool eventually(Pred pred, std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = SteadyClock::now() + timeout;
    while (!pred()) {
      if (SteadyClock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  std::unique_ptr<sandbox::Sandbox> sandbox;
  Profile profile;
  Http api;
  ProviderEndpoint endpoint;
};

}  // namespace myna::test
