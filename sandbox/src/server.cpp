// The sandbox's HTTP(S) front: cpp-httplib on loopback, mapping the profile's paths onto the
// Service and applying the transport-level faults (see faults.cpp for which call gets which).
#include <curl/curl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "httplib_wrap.hpp"
#include "myna/sandbox/pki.hpp"
#include "myna/sandbox/sandbox.hpp"
#include "service.hpp"
#include "tls.hpp"

namespace myna::sandbox {

Profile SandboxOptions::default_profile() {
  Profile profile;
  profile.supports_refresh = true;
  profile.redirect_uri = "https://127.0.0.1/callback";
  return profile;
}

}  // namespace myna::sandbox

namespace myna::internal::sandbox {

using namespace myna::sandbox;  // the sandbox's public types, unqualified
namespace {

constexpr std::size_t kServerThreads = 256;  // each keep-alive connection holds one thread
constexpr std::size_t kKeepAliveMax = 1'000'000;
constexpr time_t kKeepAliveSeconds = 10;
constexpr std::size_t kMaxRequestBody = 1 << 20;

std::string regex_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string url_host(const std::string& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string error_page(int status, const char* reason) {
  return "<html><body><h1>" + std::to_string(status) + " " + reason + "</h1></body></html>";
}

/// Files the sandbox writes into its state directory.
struct Pems {
  PemPair server, client, listener, notifier;
};

class SandboxImpl final : public Sandbox {
 public:
  explicit SandboxImpl(SandboxOptions options);
  ~SandboxImpl() override;

  std::string base_url() const override { return sp_.base_url; }
  std::string app_base_url() const override { return app_.base_url; }
  int port() const override { return sp_.port; }
  const SandboxCredentials& credentials() const override { return credentials_; }
  Profile client_profile() const override;
  std::string authorize_as(const std::string& citizen_id, const std::string& authorize_url) override;
  void set_faults(const Faults& faults) override { faults_.set(faults); }
  void set_notification_urls(std::vector<std::string> urls) override { notifier_->set_urls(std::move(urls)); }
  void set_notification_delay(std::chrono::milliseconds delay) override { service_->set_notification_delay(delay); }
  void revoke_tokens(const std::string& citizen_id) override { service_->revoke_tokens(citizen_id); }
  void register_redirect_uri(std::string uri) override { service_->register_redirect_uri(std::move(uri)); }
  SandboxStats stats() const override { return counters_.snapshot(); }
  std::vector<OddValue> odd_values_served() const override { return service_->odd_values_served(); }
  const Generator& generator() const override { return service_->generator(); }
  void stop() override;

 private:
  /// One listening host: the consent pages ({app host}) or the API ({sp host}).
  struct HostServer {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int listen_fd = -1;
    std::optional<SocketAddress> address;
    int port = 0;
    std::string base_url;
  };

  Pems write_credentials(const CertificateAuthority& ca);
  std::unique_ptr<httplib::Server> make_server(const CertificateAuthority& ca, const PemPair& server_pem,
                                               bool require_client_cert);
  void configure_server(HostServer& host);
  void add_routes();
  void listen(HostServer& host, int port);
  void stop_host(HostServer& host);
  void remove_state_dir();

  void on_authorize(const httplib::Request& req, httplib::Response& res);
  void on_token(const httplib::Request& req, httplib::Response& res);
  void on_request(const httplib::Request& req, httplib::Response& res);
  void on_result(const httplib::Request& req, httplib::Response& res);

  void apply_latency() const;
  bool apply_early_fault(CallFault fault, const std::string& type, const httplib::Request& req, httplib::Response& res);
  void drop(const httplib::Request& req);
  void truncate(const Reply& reply, httplib::Response& res);
  void send(const Reply& reply, httplib::Response& res) const;
  static void stream(std::shared_ptr<BodySource> source, httplib::Response& res);

  SandboxOptions options_;
  SandboxCredentials credentials_;
  bool owns_state_dir_ = false;
  std::string state_dir_;
  Counters counters_;
  FaultInjector faults_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<Service> service_;
  HostServer app_;  // browser-facing: no client certificate
  HostServer sp_;   // server to server: mutual TLS required in the handshake
  std::mutex stop_mutex_;
  bool stopped_ = false;
};

SandboxImpl::SandboxImpl(SandboxOptions options) : options_(std::move(options)), faults_(options_.faults) {
  ignore_sigpipe();
  init_curl_once();
  try {
    CertificateAuthority ca;
    Pems pems = write_credentials(ca);
    notifier_ =
        std::make_unique<Notifier>(options_.profile, credentials_.ca_file, counters_,
                                   TlsClientFiles{credentials_.notifier_cert_file, credentials_.notifier_key_file});
    notifier_->set_urls(options_.notification_urls);
    service_ = std::make_unique<Service>(options_, counters_, faults_, *notifier_);
    app_.server = make_server(ca, pems.server, false);
    sp_.server = make_server(ca, pems.server, true);
    configure_server(app_);
    configure_server(sp_);
    add_routes();
    listen(sp_, options_.port);
    listen(app_, options_.app_port);
  } catch (...) {
    stop();
    remove_state_dir();
    throw;
  }
}

SandboxImpl::~SandboxImpl() {
  stop();
  remove_state_dir();
}

// ---------------------------------------------------------------- start-up

Pems SandboxImpl::write_credentials(const CertificateAuthority& ca) {
  owns_state_dir_ = options_.state_dir.empty();
  state_dir_ = owns_state_dir_ ? make_temp_dir("myna-sandbox") : options_.state_dir;
  if (!owns_state_dir_ && ::mkdir(state_dir_.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("sandbox: cannot create the state directory " + state_dir_);
  CertSpec server_spec = loopback_server_spec();
  if (!is_loopback_host(options_.host)) server_spec.dns_names.push_back(options_.host);
  CertSpec client_spec;
  client_spec.common_name = options_.profile.client_id;
  client_spec.server = false;
  CertSpec notifier_spec;
  notifier_spec.common_name = SandboxCredentials::kNotifierName;
  notifier_spec.dns_names = {SandboxCredentials::kNotifierName};
  notifier_spec.server = false;
  Pems pems{ca.issue(server_spec), ca.issue(client_spec), ca.issue(loopback_server_spec()), ca.issue(notifier_spec)};
  auto path = [&](const char* name) { return state_dir_ + "/" + name; };
  credentials_ = {path("ca.pem"),           path("client.pem"),     path("client-key.pem"),
                  path("server.pem"),       path("server-key.pem"), path("listener.pem"),
                  path("listener-key.pem"), path("notifier.pem"),   path("notifier-key.pem")};
  write_file(credentials_.ca_file, ca.ca().cert_pem);
  write_file(credentials_.client_cert_file, pems.client.cert_pem);
  write_file(credentials_.client_key_file, pems.client.key_pem, 0600);
  write_file(credentials_.server_cert_file, pems.server.cert_pem);
  write_file(credentials_.server_key_file, pems.server.key_pem, 0600);
  write_file(credentials_.listener_cert_file, pems.listener.cert_pem);
  write_file(credentials_.listener_key_file, pems.listener.key_pem, 0600);
  write_file(credentials_.notifier_cert_file, pems.notifier.cert_pem);
  write_file(credentials_.notifier_key_file, pems.notifier.key_pem, 0600);
  return pems;
}

void SandboxImpl::remove_state_dir() {
  if (!owns_state_dir_) return;
  for (const std::string* file :
       {&credentials_.ca_file, &credentials_.client_cert_file, &credentials_.client_key_file,
        &credentials_.server_cert_file, &credentials_.server_key_file, &credentials_.listener_cert_file,
        &credentials_.listener_key_file, &credentials_.notifier_cert_file, &credentials_.notifier_key_file})
    ::unlink(file->c_str());
  ::rmdir(state_dir_.c_str());
}

std::unique_ptr<httplib::Server> SandboxImpl::make_server(const CertificateAuthority& ca, const PemPair& server_pem,
                                                          bool require_client_cert) {
  if (!options_.tls) return std::make_unique<httplib::Server>();
  X509Ptr cert = parse_cert(server_pem.cert_pem), ca_cert = parse_cert(ca.ca().cert_pem);
  KeyPtr key = parse_key(server_pem.key_pem);
  if (!cert || !ca_cert || !key) throw std::runtime_error("sandbox: cannot load the generated certificates");
  auto tls = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
    return configure_server_ctx(ctx, cert.get(), key.get(), ca_cert.get(), require_client_cert);
  });
  if (!tls->is_valid()) throw std::runtime_error("sandbox: cannot set up TLS");
  return tls;
}

void SandboxImpl::configure_server(HostServer& host) {
  httplib::Server& server = *host.server;
  server.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server.set_keep_alive_max_count(kKeepAliveMax);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(30, 0);
  server.set_payload_max_length(kMaxRequestBody);
  server.set_tcp_nodelay(true);
  server.set_socket_options([&host](socket_t sock) {
    int yes = 1;  // not httplib's default, which adds SO_REUSEPORT (two sandboxes on one port)
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    host.listen_fd = sock;
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(oauth_error("server_error", "internal sandbox error"), kJsonType);
  });
}

void SandboxImpl::add_routes() {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  const Profile& p = options_.profile;
  app_.server->Get(regex_escape(p.authorize_path), [this](Req req, Res res) { on_authorize(req, res); });
  app_.server->Post(regex_escape(p.authorize_path + "/sign-in"), [this](Req req, Res res) {
    apply_latency();
    send(service_->sign_in(req.body), res);
  });
  app_.server->Post(regex_escape(p.authorize_path + "/decision"), [this](Req req, Res res) {
    apply_latency();
    send(service_->decide(req.body), res);
  });
  sp_.server->Post(regex_escape(p.token_path), [this](Req req, Res res) { on_token(req, res); });
  sp_.server->Post(regex_escape(p.request_path), [this](Req req, Res res) { on_request(req, res); });
  sp_.server->Post(regex_escape(p.result_path), [this](Req req, Res res) { on_result(req, res); });
}

void SandboxImpl::listen(HostServer& host, int port) {
  httplib::Server& server = *host.server;
  host.port =
      port > 0 ? (server.bind_to_port(options_.host, port) ? port : -1) : server.bind_to_any_port(options_.host);
  if (host.port <= 0)
    throw std::runtime_error("sandbox: cannot listen on " + options_.host + ":" + std::to_string(port));
  // cpp-httplib listens with a backlog of 5; a batch client opens dozens of connections at once.
  if (host.listen_fd >= 0) ::listen(host.listen_fd, SOMAXCONN);
  host.address = bound_address(host.listen_fd);
  host.base_url =
      std::string(options_.tls ? "https://" : "http://") + url_host(options_.host) + ":" + std::to_string(host.port);
  host.thread = std::thread([&server] { server.listen_after_bind(); });
  for (int i = 0; i < 5000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server.is_running()) throw std::runtime_error("sandbox: the server did not start");
}

void SandboxImpl::stop_host(HostServer& host) {
  if (!host.server) return;
  host.server->stop();
  // Idle keep-alive connections would otherwise hold the pool for kKeepAliveSeconds.
  if (host.address) shutdown_connections(*host.address);
  if (host.thread.joinable()) host.thread.join();
}

void SandboxImpl::stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (stopped_) return;
  stopped_ = true;
  stop_host(app_);
  stop_host(sp_);
  if (notifier_) notifier_->stop();
}

Profile SandboxImpl::client_profile() const {
  Profile profile = options_.profile;
  profile.authorize_base_url = app_.base_url;
  profile.api_base_url = sp_.base_url;
  profile.supports_refresh = options_.issue_refresh_tokens;
  return profile;
}

// ---------------------------------------------------------------- the browser

std::string SandboxImpl::authorize_as(const std::string& citizen_id, const std::string& authorize_url) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw std::runtime_error("sandbox: curl_easy_init failed");
  std::string citizen_header = "X-Sandbox-Citizen: " + citizen_id;
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(curl_slist_append(nullptr, citizen_header.c_str()),
                                                             &curl_slist_free_all);
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, authorize_url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(h, CURLOPT_CAINFO, credentials_.ca_file.c_str());
  curl_easy_setopt(
      h, CURLOPT_WRITEFUNCTION, +[](char*, std::size_t size, std::size_t n, void*) { return size * n; });
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) throw std::runtime_error(std::string("sandbox: authorize_as: ") + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_header* location = nullptr;
  if (status < 300 || status >= 400 || curl_easy_header(h, "Location", 0, CURLH_HEADER, -1, &location) != CURLHE_OK)
    return {};
  return location->value;
}

// ---------------------------------------------------------------- handlers

void SandboxImpl::on_authorize(const httplib::Request& req, httplib::Response& res) {
  apply_latency();
  AuthorizeQuery query;
  for (const auto& [name, value] : req.params)
    if (!query.params.emplace(name, value).second) query.repeated_parameter = true;
  query.citizen = req.has_param("citizen") ? req.get_param_value("citizen") : req.get_header_value("X-Sandbox-Citizen");
  send(service_->authorize(query), res);
}

void SandboxImpl::on_token(const httplib::Request& req, httplib::Response& res) {
  apply_latency();
  // Over plain HTTP (--no-tls) there is no client authentication at all; over HTTPS the
  // handshake already refused connections without a valid client certificate.
  bool certified = !options_.tls || has_verified_client_cert(req.ssl);
  send(service_->token(req.body, certified), res);
}

void SandboxImpl::on_request(const httplib::Request& req, httplib::Response& res) {
  apply_latency();
  ++counters_.telegram_calls;
  CallFault fault = faults_.decide(Endpoint::request);
  if (apply_early_fault(fault, options_.profile.request_response_type, req, res)) return;
  Reply reply = service_->request(req.get_header_value("Authorization"), req.body, fault == CallFault::expired_token);
  if (fault == CallFault::drop_connection) {
    drop(req);  // the process exists, its response is lost: a re-send must get the same processId
    return;
  }
  if (auto hold = faults_.current().request_response_delay; hold.count() > 0) std::this_thread::sleep_for(hold);
  send(reply, res);
}

void SandboxImpl::on_result(const httplib::Request& req, httplib::Response& res) {
  apply_latency();
  ++counters_.telegram_calls;
  CallFault fault = faults_.decide(Endpoint::result);
  if (fault == CallFault::drop_connection) return drop(req);
  if (apply_early_fault(fault, options_.profile.result_response_type, req, res)) return;
  Reply reply = service_->result(req.get_header_value("Authorization"), req.body, fault == CallFault::expired_token);
  if (reply.stream && fault == CallFault::truncated_body) {
    counters_.fault(FaultKind::truncated_body);
    return truncate(reply, res);
  }
  if (reply.stream && fault == CallFault::malformed_json) {
    counters_.fault(FaultKind::malformed_json);
    std::string body = codec::encode_header(reply.header);
    body.pop_back();
    body += ",\"selfPersonalDataProvisionInfo\":{\"selfPersonalData\":<html>502 Bad Gateway</html>";
    res.set_content(body, kJsonType);
    return;
  }
  send(reply, res);
}

// ---------------------------------------------------------------- faults

void SandboxImpl::apply_latency() const {
  auto latency = faults_.current().latency;
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
}

bool SandboxImpl::apply_early_fault(CallFault fault, const std::string& type, const httplib::Request& req,
                                    httplib::Response& res) {
  FaultKind kind;
  switch (fault) {
    case CallFault::http_500:
      kind = FaultKind::http_500;
      res.status = 500;
      res.set_content(error_page(500, "Internal Server Error"), "text/html");
      break;
    case CallFault::rate_limit_429:
      kind = FaultKind::rate_limit_429;
      res.status = 429;
      res.set_header("Retry-After", faults_.next_retry_after_is_date()
                                        ? http_date(SystemClock::now() + std::chrono::seconds(2))
                                        : std::string("1"));
      res.set_content(error_page(429, "Too Many Requests"), "text/html");
      break;
    case CallFault::maintenance_503: {
      kind = FaultKind::maintenance_503;
      auto header = codec::decode_header(req.body, options_.profile);
      Reply reply = service_->telegram_error(503, type, header ? header->telegram_id : "",
                                             header ? header->process_id : "", "E0005", "計画停止中");
      res.status = 503;
      res.set_header("Retry-After", "1");
      res.set_content(reply.body, kJsonType);
      break;
    }
    default: return false;
  }
  counters_.fault(kind);
  return true;
}

void SandboxImpl::drop(const httplib::Request& req) {
  counters_.fault(FaultKind::drop_connection);
  if (req.ssl)
    shutdown_socket(SSL_get_fd(req.ssl));
  else if (sp_.address)
    shutdown_socket(find_connection(*sp_.address, req.remote_port));
}

void SandboxImpl::truncate(const Reply& reply, httplib::Response& res) {
  if (reply.bulk) {  // never in memory: cut the stream at half the bulk size
    auto cut = options_.bulk_bytes / 2;
    auto sent = std::make_shared<std::uint64_t>(0);
    auto source = reply.stream;
    res.set_chunked_content_provider(kJsonType, [source, sent, cut](std::size_t, httplib::DataSink& sink) {
      std::string chunk;
      if (*sent >= cut || !source->next(chunk)) return false;
      *sent += chunk.size();
      return sink.write(chunk.data(), chunk.size());
    });
    return;
  }
  auto body = std::make_shared<std::string>(drain(*reply.stream));
  std::size_t cut = body->size() / 2;
  if (faults_.next_truncation_uses_length()) {  // Content-Length larger than the bytes sent
    res.set_content_provider(body->size(), kJsonType,
                             [body, cut](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                               return offset < cut && sink.write(body->data() + offset, cut - offset);
                             });
  } else {  // well-formed chunks, then the connection ends without the last chunk
    res.set_chunked_content_provider(kJsonType, [body, cut](std::size_t offset, httplib::DataSink& sink) {
      return offset < cut && sink.write(body->data() + offset, cut - offset);
    });
  }
}

// ---------------------------------------------------------------- replies

void SandboxImpl::send(const Reply& reply, httplib::Response& res) const {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  if (reply.stream)
    stream(reply.stream, res);
  else
    res.set_content(reply.body, reply.content_type);
}

void SandboxImpl::stream(std::shared_ptr<BodySource> source, httplib::Response& res) {
  // "application/json; charset=UTF-8" is not in cpp-httplib's compressible list: no gzip.
  res.set_chunked_content_provider(kJsonType, [source](std::size_t, httplib::DataSink& sink) {
    std::string chunk;
    while (chunk.empty()) {
      if (!source->next(chunk)) {
        sink.done();
        return true;
      }
    }
    return sink.write(chunk.data(), chunk.size());
  });
}

}  // namespace
}  // namespace myna::internal::sandbox

namespace myna::sandbox {

std::unique_ptr<Sandbox> Sandbox::start(SandboxOptions options) {
  return std::make_unique<internal::sandbox::SandboxImpl>(std::move(options));
}

}  // namespace myna::sandbox
