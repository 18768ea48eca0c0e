// Raw libcurl for the end-to-end tests: the tests talk to the sandbox without the SDK's own
// transport, so they pin the wire behaviour the SDK must cope with.
#pragma once

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace myna::test {

struct HttpResponse {
  CURLcode code = CURLE_OK;
  long status = 0;
  long new_connections = 0;  ///< CURLINFO_NUM_CONNECTS: 0 when a kept-alive connection was reused
  std::string body;
  std::map<std::string, std::string> headers;  ///< lower-case names

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

/// Receives body bytes as they arrive; false aborts the transfer.
using BodySink = std::function<bool(std::string_view)>;

/// One easy handle: connections are kept alive between calls.
class Http {
 public:
  Http(std::string ca_file, std::string cert_file = {}, std::string key_file = {})
      : ca_(std::move(ca_file)), cert_(std::move(cert_file)), key_(std::move(key_file)), curl_(curl_easy_init()) {}
  ~Http() { curl_easy_cleanup(curl_); }
  Http(const Http&) = delete;
  Http& operator=(const Http&) = delete;

  /// Whole-transfer timeout (default 30 s).
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ms_ = static_cast<long>(timeout.count()); }

  HttpResponse get(const std::string& url, const std::vector<std::string>& headers = {}) {
    return perform(url, nullptr, headers, {});
  }
  HttpResponse post(const std::string& url, const std::string& body, const std::vector<std::string>& headers = {},
                    BodySink sink = {}) {
    return perform(url, &body, headers, std::move(sink));
  }

 private:
  struct Transfer {
    HttpResponse* response;
    BodySink* sink;
  };

  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    if (*t->sink) return (*t->sink)(std::string_view(data, size * n)) ? size * n : 0;
    t->response->body.append(data, size * n);
    return size * n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    std::string line(data, size * n);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t start = line.find_first_not_of(' ', colon + 1);
      std::size_t end = line.find_last_not_of("\r\n ");
      static_cast<HttpResponse*>(user)->headers[name] =
          start == std::string::npos || end < start ? std::string() : line.substr(start, end - start + 1);
    }
    return size * n;
  }

  HttpResponse perform(const std::string& url, const std::string* body, const std::vector<std::string>& headers,
                       BodySink sink) {
    HttpResponse response;
    Transfer transfer{&response, &sink};
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms_);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_.c_str());
    if (!cert_.empty()) {
      curl_easy_setopt(curl_, CURLOPT_SSLCERT, cert_.c_str());
      curl_easy_setopt(curl_, CURLOPT_SSLKEY, key_.c_str());
    }
    if (body) {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body->c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    }
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response);
    response.code = curl_easy_perform(curl_);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &response.new_connections);
    curl_slist_free_all(list);
    return response;
  }

  std::string ca_, cert_, key_;
  CURL* curl_;
  long timeout_ms_ = 30000;
};

}  // namespace myna::test
