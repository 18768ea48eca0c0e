// Hostile and broken peers for the attack tests: a TCP port that counts connections, an API
// host that answers result (or request) calls with an endless body of a chosen shape, and a
// client wired to any base URL with a stored token (no consent needed).
#pragma once

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "myna/client/client.hpp"
#include "unit/transport_fixture.hpp"

namespace myna::test {

/// Accepts TCP connections on a port, counts them and closes each at once (answers nothing).
class ConnectionCounter {
 public:
  explicit ConnectionCounter(const char* bind_address = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, bind_address, &addr.sin_addr);
    socklen_t len = sizeof addr;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("ConnectionCounter: cannot listen");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { accept_loop(); });
  }
  ~ConnectionCounter() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }
  ConnectionCounter(const ConnectionCounter&) = delete;
  ConnectionCounter& operator=(const ConnectionCounter&) = delete;

  int port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      ++connections_;
      ::close(c);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

/// An IPv4 address of this machine that is not loopback, if there is one.
inline std::optional<std::string> non_loopback_ipv4() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return std::nullopt;
  std::optional<std::string> found;
  for (ifaddrs* a = list; a && !found; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
    if (std::string(text).rfind("127.", 0) != 0) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

/// The shape of an endless hostile body.
enum class Hostile {
  huge_string,   ///< a record value that never ends (inside the embedded payload)
  huge_number,   ///< an envelope member whose number never ends
  deep_nesting,  ///< '[' forever
};

/// An API host (TLS, the test PKI) that answers the request telegram normally and the result
/// telegram with ~1 GiB of a hostile shape, produced lazily (never in memory); or, with
/// hostile_request, answers the request telegram itself with the endless body.
class HostileApi {
 public:
  static constexpr std::uint64_t kBodyBytes = std::uint64_t{1} << 30;

  HostileApi(Profile profile, Hostile shape, bool hostile_request = false)
      : profile_(std::move(profile)), shape_(shape), server_(TestServer::Mode::tls) {
    server_.http().Post(profile_.request_path,
                        [this, hostile_request](const httplib::Request& req, httplib::Response& res) {
                          auto telegram = codec::decode_request(req.body, profile_);
                          const std::string id = telegram ? telegram->header.telegram_id : "";
                          {
                            std::lock_guard<std::mutex> lock(mu_);
                            telegram_id_ = id;
                          }
                          if (hostile_request) return endless(res);
                          res.set_content(codec::encode_header({id, profile_.request_response_type, profile_.mode,
                                                                "P000000000001", profile_.success_code}),
                                          "application/json");
                        });
    server_.http().Post(profile_.result_path,
                        [this](const httplib::Request&, httplib::Response& res) { endless(res); });
    server_.start();
  }

  std::string base_url() const { return server_.url(""); }
  /// Body bytes the server managed to hand to the socket before the client stopped reading.
  std::uint64_t bytes_sent() const { return sent_.load(); }

 private:
  std::string prefix() {
    std::unique_lock<std::mutex> lock(mu_);
    std::string header = codec::encode_header(
        {telegram_id_, profile_.result_response_type, profile_.mode, "P000000000001", profile_.success_code});
    lock.unlock();
    header.pop_back();  // reopen the object
    switch (shape_) {
      case Hostile::huge_string:  // a record whose カナ氏名 never ends
        return header + R"J(,"selfPersonalDataProvisionInfo":{"selfPersonalData":)J" +
               R"J("[{\"支払基金\":{\"薬剤情報\":[{\"カナ氏名\":\")J";
      case Hostile::huge_number: return header + R"J(,"extra":1)J";
      case Hostile::deep_nesting: return header + R"J(,"extra":)J";
    }
    return header;
  }
  char filler() const { return shape_ == Hostile::huge_string ? 'A' : shape_ == Hostile::huge_number ? '7' : '['; }

  void endless(httplib::Response& res) {
    auto chunk = std::make_shared<std::string>(64 * 1024, filler());
    auto head = std::make_shared<std::string>(prefix());
    res.set_chunked_content_provider("application/json", [this, chunk, head](std::size_t, httplib::DataSink& sink) {
      if (server_.stopping() || sent_ >= kBodyBytes) {
        sink.done();
        return true;
      }
      const std::string& part = head->empty() ? *chunk : *head;
      if (!sink.write(part.data(), part.size())) return false;  // the client hung up
      sent_ += part.size();
      head->clear();
      return true;
    });
  }

  Profile profile_;
  Hostile shape_;
  std::mutex mu_;
  std::string telegram_id_;  // of the last request telegram
  std::atomic<std::uint64_t> sent_{0};
  TestServer server_;  // last: stopped first, while the members its handlers use still exist
};

/// A client talking to base_url with the test PKI, a stored token for `citizen`, a short
/// notification timeout (hostile hosts send no notification) and few retries.
struct Rig {
  std::shared_ptr<TokenStore> tokens = make_memory_token_store();
  std::shared_ptr<RetrievalStore> retrievals = make_memory_retrieval_store();
  std::shared_ptr<Client> client;
  Token token;
};

inline Token fake_token(const std::string& access = "at-0123456789abcdef", const std::string& refresh = "") {
  const auto now = std::chrono::system_clock::now();
  return Token{SecretString(access), SecretString(refresh), now + std::chrono::hours(1),
               now + std::chrono::hours(24 * 90), now};
}

inline Result<Rig> rig_for(const std::string& base_url, CurlTransportOptions curl = mtls_options(),
                           const std::string& citizen = "citizen") {
  Rig rig;
  rig.token = fake_token();
  if (Status st = rig.tokens->save(citizen, rig.token); !st) return std::move(st).error();
  ClientOptions o;
  o.profile.api_base_url = base_url;
  o.curl = std::move(curl);
  o.token_store = rig.tokens;
  o.retrieval_store = rig.retrievals;
  o.notification_timeout = std::chrono::milliseconds(200);
  o.retry.max_attempts = 2;
  o.retry.initial_backoff = std::chrono::milliseconds(10);
  auto client = Client::create(std::move(o));
  if (!client) return std::move(client).error();
  rig.client = *client;
  return rig;
}

}  // namespace myna::test
