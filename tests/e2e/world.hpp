// End-to-end fixture: the sandbox (HTTPS, mutual TLS), a client and its notification
// listener, wired together over real loopback sockets.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "myna/client/client.hpp"
#include "myna/client/listener.hpp"
#include "myna/sandbox/sandbox.hpp"

namespace myna::test {

class World {
 public:
  explicit World(sandbox::SandboxOptions sandbox_options = fast_sandbox(),
                 const std::function<void(ClientOptions&)>& tweak = {}) {
    sandbox_ = sandbox::Sandbox::start(std::move(sandbox_options));
    options_.profile = sandbox_->client_profile();
    options_.curl.tls.ca_file = sandbox_->credentials().ca_file;
    options_.curl.tls.client_cert_file = sandbox_->credentials().client_cert_file;
    options_.curl.tls.client_key_file = sandbox_->credentials().client_key_file;
    options_.notification_timeout = std::chrono::seconds(10);
    options_.retry.initial_backoff = std::chrono::milliseconds(20);
    options_.retry.max_backoff = std::chrono::milliseconds(200);
    if (tweak) tweak(options_);
    client_ = Client::create(options_).value();
    ListenerOptions lo;
    lo.cert_file = sandbox_->credentials().server_cert_file;
    lo.key_file = sandbox_->credentials().server_key_file;
    listener_ = CallbackListener::start(lo, client_->notification_handler()).value();
    sandbox_->set_notification_urls({listener_->notification_url()});
  }
  ~World() {
    listener_->stop();
    sandbox_->stop();
  }

  static sandbox::SandboxOptions fast_sandbox() {
    sandbox::SandboxOptions o;
    o.notification_delay = std::chrono::milliseconds(30);
    return o;
  }

  /// Runs the consent flow for a sandbox citizen and stores the token under user.
  Status consent(const std::string& user, const std::string& sandbox_citizen) {
    auto request = client_->begin_consent();
    if (!request) return request.error();
    std::string redirect = sandbox_->authorize_as(sandbox_citizen, request->url);
    return client_->complete_consent(user, redirect, *request);
  }

  Client& client() { return *client_; }
  std::shared_ptr<Client> shared_client() { return client_; }
  sandbox::Sandbox& sandbox() { return *sandbox_; }
  CallbackListener& listener() { return *listener_; }
  const ClientOptions& options() const { return options_; }

 private:
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  ClientOptions options_;
  std::shared_ptr<Client> client_;
  std::unique_ptr<CallbackListener> listener_;
};

/// Same records in the same order, compared item by item through the catalogs.
template <class R>
bool same_records(const std::vector<R>& a, const std::vector<R>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!records_equal(a[i], b[i])) return false;
  return true;
}

}  // namespace myna::test
