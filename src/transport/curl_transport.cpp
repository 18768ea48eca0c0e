#include "myna/transport/curl_transport.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "internal/secure_file.hpp"
#include "internal/text.hpp"
#include "transport/curl_errors.hpp"
#include "transport/curl_pool.hpp"
#include "transport/tls_files.hpp"
#include "transport/url_redaction.hpp"

namespace myna {
namespace {

using namespace internal;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kPollIntervalMs = 50;  // how often an in-flight transfer looks at its Context

// ------------------------------------------------------------------ libcurl global state

// curl_global_init exactly once, thread-safely; never cleaned up (no static-destruction order).
Status ensure_curl_ready() {
  static std::once_flag once;
  static CURLcode init_result = CURLE_OK;
  std::call_once(once, [] { init_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init_result != CURLE_OK) {
    return Error(ErrorCategory::network, std::string("libcurl could not be initialised (") +
                                             curl_easy_strerror(init_result) + "); check the process environment");
  }
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if (!(info->features & CURL_VERSION_SSL)) {
    return Error(ErrorCategory::tls, "libcurl was built without TLS support; install libcurl with OpenSSL");
  }
  return {};
}

Status check_options(const CurlTransportOptions& o) {
  auto invalid = [](const char* what) {
    return Error(ErrorCategory::validation, std::string("CurlTransportOptions::") + what);
  };
  if (o.connect_timeout.count() <= 0) return invalid("connect_timeout must be positive");
  if (o.total_timeout.count() <= 0) return invalid("total_timeout must be positive");
  if (o.low_speed_bytes < 0 || o.low_speed_time.count() < 0) {
    return invalid("low_speed_bytes / low_speed_time must not be negative (0 turns stall detection off)");
  }
  if (o.max_response_bytes == 0) return invalid("max_response_bytes must be positive");
  if (Status st = internal::check_tls_files(o.tls); !st) return st;
  const std::string& key = o.tls.client_key_file.empty() ? o.tls.client_cert_file : o.tls.client_key_file;
  if (auto exposed = internal::private_key_exposure(key)) o.logger.log(LogLevel::warn, *exposed);
  return {};
}

// ------------------------------------------------------------------ request preparation

struct CurlUrlFree {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, CurlUrlFree>;

std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || !text) return {};
  std::string value(text);
  curl_free(text);
  return value;
}

bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "::1" || iequals(host, "localhost");
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [name](const HttpHeader& h) { return iequals(h.name, name); });
}

// Parses the URL with libcurl's own parser (so the checks see what curl will connect to) and
// applies the scheme rules: https always; http only to loopback with the development switch.
Result<UrlPtr> parse_target(const HttpRequest& request, const CurlTransportOptions& options, const std::string& what) {
  UrlPtr url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0) != CURLUE_OK) {
    return Error(ErrorCategory::validation, what + ": not a valid absolute URL; check the profile's base URL");
  }
  const std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
  if (scheme == "https") return url;
  if (scheme != "http") { return Error(ErrorCategory::validation, what + ": only https:// URLs are supported"); }
  const bool plain_allowed = options.allow_plain_http_loopback && is_loopback_host(url_part(url.get(), CURLUPART_HOST));
  if (plain_allowed) return url;
  if (has_header(request, "Authorization")) {
    return Error(ErrorCategory::validation,
                 what +
                     ": refusing to send an Authorization header over plain HTTP: bearer tokens are never "
                     "sent over plain HTTP; use an https:// URL");
  }
  return Error(ErrorCategory::validation,
               what +
                   ": plain http:// is refused; use https:// (allow_plain_http_loopback permits http only to "
                   "127.0.0.1, ::1 and localhost, for development)");
}

bool valid_header(const HttpHeader& h) {
  const bool name_ok = !h.name.empty() && std::all_of(h.name.begin(), h.name.end(), internal::is_token_char);
  const bool value_ok = h.value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
  return name_ok && value_ok;
}

// The request's header lines for libcurl; every line is wiped before it is freed.
class HeaderList {
 public:
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  ~HeaderList() {
    for (curl_slist* node = list_; node; node = node->next) OPENSSL_cleanse(node->data, std::strlen(node->data));
    curl_slist_free_all(list_);
  }

  bool append(std::string line) {
    curl_slist* longer = curl_slist_append(list_, line.c_str());
    wipe(line);
    if (!longer) return false;
    list_ = longer;
    return true;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

Status build_headers(const HttpRequest& request, HeaderList& list, const std::string& what) {
  for (const HttpHeader& h : request.headers) {
    if (!valid_header(h)) {
      return Error(ErrorCategory::validation, what + ": header '" +
                                                  (valid_header({h.name, "", false}) ? h.name : std::string("?")) +
                                                  "' has an invalid name or a line break in its value");
    }
    // "Name;" is libcurl's way to send a header with an empty value. The line is built in one
    // block of its exact size (no reallocation leaves a copy of a secret value behind).
    std::string line;
    line.reserve(h.name.size() + 2 + h.value.size());
    line.append(h.name).append(h.value.empty() ? ";" : ": ").append(h.value);
    if (!list.append(std::move(line))) {
      return Error(ErrorCategory::network, what + ": out of memory building the request headers");
    }
  }
  // No "Expect: 100-continue" round trip for large bodies.
  if (!list.append("Expect:")) return Error(ErrorCategory::network, what + ": out of memory");
  return {};
}

Status check_method(const HttpRequest& request, const std::string& what) {
  const std::string& m = request.method;
  if (m.empty() || !std::all_of(m.begin(), m.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Error(ErrorCategory::validation, what + ": the HTTP method must be an upper-case token such as GET or POST");
  }
  if ((m == "GET" || m == "HEAD") && !request.body.empty()) {
    return Error(ErrorCategory::validation, what + ": a " + m + " request cannot carry a body");
  }
  return {};
}

// ------------------------------------------------------------------ one transfer

std::optional<Error> interruption(const Context& context, const std::string& what) {
  if (context.cancelled()) return Error(ErrorCategory::cancelled, what + ": cancelled");
  if (context.expired()) return deadline_error(what);
  return std::nullopt;
}

// What the libcurl callbacks share with send(); lives on send()'s stack.
struct Transfer {
  Transfer(const HttpRequest& req, const Context& ctx, const CurlTransportOptions& opts, const std::string& name,
           CURL* handle)
      : request(req), context(ctx), options(opts), what(name), easy(handle) {}

  const HttpRequest& request;
  const Context& context;
  const CurlTransportOptions& options;
  const std::string& what;
  CURL* easy;
  TlsEvidence tls;  // what the TLS layer saw (copied from the slot after the transfer)
  HttpResponse response;
  std::optional<Error> abort;     // why a callback stopped the transfer
  std::optional<bool> streaming;  // decided at the first body byte, from the status code
};

// Only 2xx bodies are streamed: an error body is collected so it can be mapped (http_error).
bool streams_body(Transfer& t) {
  if (!t.streaming) {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    t.streaming = t.request.on_body_chunk && status >= 200 && status < 300;
  }
  return *t.streaming;
}

/// Appends to a body that holds secrets (a token response) without leaving a copy behind: when
/// it must grow, the old block is wiped before it is freed.
void append_secret(std::string& body, const char* data, std::size_t n) {
  if (body.size() + n > body.capacity()) {
    std::string bigger;
    bigger.reserve(std::max(2 * body.capacity(), body.size() + n));
    bigger.append(body);
    wipe(body);
    body = std::move(bigger);
  }
  body.append(data, n);
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  try {
    if (streams_body(t)) {
      Status st = t.request.on_body_chunk(std::string_view(data, n));
      if (st) return n;
      t.abort = std::move(st).error();
      return 0;
    }
    if (n > t.options.max_response_bytes - t.response.body.size()) {
      t.abort = size_cap_error(t.what, t.options.max_response_bytes);
      return 0;
    }
    if (t.request.body_secret)
      append_secret(t.response.body, data, n);
    else
      t.response.body.append(data, n);
    return n;
  } catch (const std::exception&) {
    t.abort = Error(ErrorCategory::decode, t.what + ": the response body handler failed with an exception");
    return 0;
  }
}

std::string_view trim_line(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  try {
    auto& headers = t.response.headers;
    if (line.rfind("HTTP/", 0) == 0) {
      headers.clear();  // a new response (after 100 Continue): keep only the final one's headers
    } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !headers.empty()) {
      headers.back().value += ' ';  // obsolete line folding
      headers.back().value += trim_line(line);
    } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
      headers.push_back(
          {std::string(trim_line(line.substr(0, colon))), std::string(trim_line(line.substr(colon + 1))), false});
    }
    return n;
  } catch (const std::exception&) {
    t.abort = Error(ErrorCategory::network, t.what + ": out of memory reading the response headers");
    return 0;
  }
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto& t = *static_cast<Transfer*>(user);
  if (t.abort) return 1;
  t.abort = interruption(t.context, t.what);
  return t.abort ? 1 : 0;
}

long to_curl_ms(milliseconds ms) { return static_cast<long>(std::max<milliseconds::rep>(1, ms.count())); }

// This attempt's total limit: the option, but never past the Context's deadline.
milliseconds total_limit(const CurlTransportOptions& options, const Context& context) {
  milliseconds limit = options.total_timeout;
  if (std::optional<Context::Clock::duration> left = context.remaining()) {
    limit = std::min(limit, std::chrono::ceil<milliseconds>(*left));
  }
  return limit;
}

void set_method_and_body(CURL* easy, const HttpRequest& request) {
  const std::string& m = request.method;
  if (m == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (m == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    return;
  }
  if (m != "POST") curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, m.c_str());
  if (m == "POST" || !request.body.empty()) {
    // Not copied by libcurl: the caller's buffer (and its wiping) stays the only copy.
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
}

void set_tls(CURL* easy, const TlsOptions& tls) {
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(easy, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  // No TLS session resumption: mutual-TLS servers without a session id context answer a
  // resumed session with an internal_error alert. The pool keeps connections alive instead.
  curl_easy_setopt(easy, CURLOPT_SSL_SESSIONID_CACHE, 0L);
  if (!tls.ca_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_CAINFO, tls.ca_file.c_str());
    curl_easy_setopt(easy, CURLOPT_CAPATH, nullptr);  // trust only the given bundle
  }
  if (!tls.client_cert_file.empty()) {
    curl_easy_setopt(easy, CURLOPT_SSLCERT, tls.client_cert_file.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLCERTTYPE, "PEM");
    const std::string& key = tls.client_key_file.empty() ? tls.client_cert_file : tls.client_key_file;
    curl_easy_setopt(easy, CURLOPT_SSLKEY, key.c_str());
    curl_easy_setopt(easy, CURLOPT_SSLKEYTYPE, "PEM");
    if (!tls.client_key_passphrase.empty()) {
      // The view ends in the string's terminating NUL, as libcurl needs.
      curl_easy_setopt(easy, CURLOPT_KEYPASSWD, tls.client_key_passphrase.reveal().data());
    }
  }
}

void set_protocols(CURL* easy, bool plain_http) {
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, plain_http ? "http" : "https");
#else
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS, plain_http ? CURLPROTO_HTTP : CURLPROTO_HTTPS);
#endif
}

void set_limits(CURL* easy, const CurlTransportOptions& o, const Transfer& t) {
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, to_curl_ms(o.connect_timeout));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, to_curl_ms(total_limit(o, t.context)));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_bytes);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(o.low_speed_time.count()));
  if (!t.request.on_body_chunk) {  // a streamed body is not collected, so not capped
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(o.max_response_bytes));
  }
}

void set_callbacks(CURL* easy, Transfer& t, TlsEvidence* evidence, char* error_buffer) {
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, on_ssl_context);
  curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, evidence);
}

void configure(Transfer& t, CURLU* url, const HeaderList& headers, TlsEvidence* evidence, char* error_buffer) {
  CURL* easy = t.easy;
  curl_easy_reset(easy);  // keeps the live connections
  curl_easy_setopt(easy, CURLOPT_CURLU, url);
  set_protocols(easy, url_part(url, CURLUPART_SCHEME) == "http");
  set_method_and_body(easy, t.request);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  set_tls(easy, t.options.tls);
  curl_easy_setopt(easy, CURLOPT_PROXY, t.options.proxy.c_str());  // "" = none, never from the environment
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "");                     // nor a no_proxy list from it
  curl_easy_setopt(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // the size cap applies to decoded bytes
  set_limits(easy, t.options, t);
  set_callbacks(easy, t, evidence, error_buffer);
}

CURLcode finished_result(CURLM* multi, CURL* easy) {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy) return msg->data.result;
  }
  return CURLE_FAILED_INIT;  // not reached: a finished transfer always leaves a message
}

// Drives the transfer, looking at the Context every kPollIntervalMs so that a cancel() from
// another thread or the deadline stops it promptly even while nothing arrives.
CURLcode perform(const Slot& slot, Transfer& t) {
  if (curl_multi_add_handle(slot.multi(), slot.easy()) != CURLM_OK) return CURLE_FAILED_INIT;
  CURLcode result = CURLE_ABORTED_BY_CALLBACK;
  for (;;) {
    int running = 0;
    if (curl_multi_perform(slot.multi(), &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) {
      result = finished_result(slot.multi(), slot.easy());
      break;
    }
    if (!t.abort) t.abort = interruption(t.context, t.what);
    if (t.abort) break;
    curl_multi_poll(slot.multi(), nullptr, 0, kPollIntervalMs, nullptr);
  }
  curl_multi_remove_handle(slot.multi(), slot.easy());
  return result;
}

Error failure(CURLcode code, const Transfer& t, const char* error_buffer) {
  if (t.abort) return *t.abort;  // a callback or the Context stopped it: that is the reason
  return curl_error(Failure{code, t.what, curl_detail(code, error_buffer), t.tls, !t.response.headers.empty(),
                            t.context.expired(), t.options});
}

// ------------------------------------------------------------------ the transport

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options)
      : options_(std::move(options)), pool_(options_.max_idle_connections) {}

  Result<HttpResponse> send(const HttpRequest& request, const Context& context) override {
    const std::string what = describe_request(request.method, request.url);
    const SteadyClock::time_point started = SteadyClock::now();
    Result<HttpResponse> result = send_once(request, context, what);
    log_outcome(what, result, started);
    return result;
  }

 private:
  Result<HttpResponse> send_once(const HttpRequest& request, const Context& context, const std::string& what) {
    if (std::optional<Error> stop = interruption(context, what)) return *stop;
    if (Status st = check_method(request, what); !st) return std::move(st).error();
    Result<UrlPtr> url = parse_target(request, options_, what);
    if (!url) return std::move(url).error();
    HeaderList headers;
    if (Status st = build_headers(request, headers, what); !st) return std::move(st).error();
    // libcurl silently re-sends a request whose reused connection turned out dead. A call that
    // must not be repeated (a token exchange: single-use code) therefore gets a slot of its
    // own with a fresh connection, closed afterwards.
    const bool reuse = request.idempotent || request.method == "GET" || request.method == "HEAD";
    std::unique_ptr<Slot> slot = reuse ? pool_.acquire() : pool_.fresh();
    if (!slot) return Error(ErrorCategory::network, what + ": libcurl could not allocate a handle (out of memory)");
    CURL* easy = slot->easy();
    return transfer(std::move(slot), Transfer(request, context, options_, what, easy), url->get(), headers, reuse);
  }

  // Runs one transfer on a slot, then returns the slot to the pool (or drops it on failure).
  Result<HttpResponse> transfer(std::unique_ptr<Slot> slot, Transfer t, CURLU* url, const HeaderList& headers,
                                bool reuse) {
    char error_buffer[CURL_ERROR_SIZE] = {};
    slot->evidence() = TlsEvidence();
    configure(t, url, headers, &slot->evidence(), error_buffer);
    const CURLcode code = perform(*slot, t);
    t.tls = slot->evidence();
    const bool ok = code == CURLE_OK && !t.abort;
    long status = 0;
    curl_easy_getinfo(slot->easy(), CURLINFO_RESPONSE_CODE, &status);
    curl_easy_reset(slot->easy());  // forget pointers into this frame; keeps the connection
    pool_.release(std::move(slot), ok && reuse);
    if (!ok) return failure(code, t, error_buffer);
    t.response.status = static_cast<int>(status);
    return std::move(t.response);
  }

  void log_outcome(const std::string& what, const Result<HttpResponse>& result, SteadyClock::time_point started) const {
    if (!options_.logger.enabled(LogLevel::debug)) return;
    const auto elapsed = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started).count();
    std::string line = what;
    line += result ? " -> " + std::to_string(result->status)
                   : std::string(" failed: ") + to_string(result.error().category());
    line += " in " + std::to_string(elapsed) + " ms";
    options_.logger.log(LogLevel::debug, line);
  }

  CurlTransportOptions options_;
  SlotPool pool_;
};

}  // namespace

Result<std::shared_ptr<HttpTransport>> make_curl_transport(CurlTransportOptions options) {
  if (Status st = ensure_curl_ready(); !st) return std::move(st).error();
  if (Status st = check_options(options); !st) return std::move(st).error();
  return std::shared_ptr<HttpTransport>(std::make_shared<CurlTransport>(std::move(options)));
}

}  // namespace myna
