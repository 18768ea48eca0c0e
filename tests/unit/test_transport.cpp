#include <catch2/catch.hpp>

#include <openssl/pem.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <vector>

#include "myna/transport/curl_transport.hpp"
#include "unit/transport_fixture.hpp"

using namespace myna;
using namespace myna::test;
using namespace std::chrono_literals;
using Mode = TestServer::Mode;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("mutual TLS GET and POST over a real socket", "[transport]") {
  TestServer server;
  server.http().Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Trace-Id", "abc123");
    res.set_content("hello " + req.get_header_value("X-Caller"), "text/plain");
  });
  server.http().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_content(req.body, req.get_header_value("Content-Type"));
  });
  server.start();
  auto transport = make_transport();

  HttpRequest hello = get(server.url("/hello"));
  hello.headers.push_back({"X-Caller", "test", false});
  auto got = transport->send(hello, Context());
  REQUIRE(got.ok());
  CHECK(got->status == 200);
  CHECK(got->body == "hello test");
  CHECK(std::string(got->header("x-trace-id")) == "abc123");  // case-insensitive
  CHECK(std::string(got->header("X-TRACE-ID")) == "abc123");
  CHECK(std::string(got->header("Content-Type")) == "text/plain");
  CHECK(got->header("X-Missing").empty());

  HttpRequest post;
  post.url = server.url("/echo");
  post.headers.push_back({"Content-Type", "application/json", false});
  post.body = R"({"commonHeader":{}})";
  auto echoed = transport->send(post, Context());
  REQUIRE(echoed.ok());
  CHECK(echoed->status == 201);
  CHECK(echoed->body == post.body);
  CHECK(std::string(echoed->header("content-type")) == "application/json");
}

TEST_CASE("non-2xx statuses come back as responses, not errors", "[transport]") {
  TestServer server;
  server.http().Get("/busy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "120");
    res.set_content("maintenance", "text/plain");
  });
  server.start();
  auto r = make_transport()->send(get(server.url("/busy")), Context());
  REQUIRE(r.ok());
  CHECK(r->status == 503);
  CHECK(std::string(r->header("retry-after")) == "120");
  CHECK(r->body == "maintenance");
}

TEST_CASE("keep-alive reuses one connection; a failed transfer's connection is dropped", "[transport]") {
  TestServer server;
  server.http().Get("/port", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.remote_port), "text/plain");
  });
  server.http().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(64 * 1024, 'x'), "text/plain");
  });
  server.start();
  CurlTransportOptions options = mtls_options();
  options.max_response_bytes = 1024;
  auto transport = make_transport(options);

  std::set<std::string> ports;
  for (int i = 0; i < 3; ++i) ports.insert(transport->send(get(server.url("/port")), Context()).value().body);
  CHECK(ports.size() == 1);

  REQUIRE_FALSE(transport->send(get(server.url("/big")), Context()).ok());
  const std::string after_failure = transport->send(get(server.url("/port")), Context()).value().body;
  CHECK(ports.count(after_failure) == 0);  // a new connection
}

TEST_CASE("a call that must not be repeated gets a fresh connection of its own", "[transport]") {
  TestServer server;
  server.http().Post("/port", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.remote_port), "text/plain");
  });
  server.start();
  auto transport = make_transport(mtls_options());
  auto post = [&](bool idempotent) {
    HttpRequest request;
    request.url = server.url("/port");
    request.body = "x";
    request.idempotent = idempotent;
    return transport->send(request, Context()).value().body;
  };
  std::string pooled = post(true);
  CHECK(post(true) == pooled);     // idempotent calls reuse the pooled connection
  std::string once = post(false);  // libcurl could silently re-send on a reused one
  CHECK(once != pooled);
  CHECK(post(false) != once);  // and it is not kept afterwards
  CHECK(post(true) == pooled);
}

TEST_CASE("max_idle_connections = 0 keeps no connection", "[transport]") {
  TestServer server;
  server.http().Get("/port", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.remote_port), "text/plain");
  });
  server.start();
  CurlTransportOptions options = mtls_options();
  options.max_idle_connections = 0;
  auto transport = make_transport(options);
  const std::string first = transport->send(get(server.url("/port")), Context()).value().body;
  const std::string second = transport->send(get(server.url("/port")), Context()).value().body;
  CHECK(first != second);
}

TEST_CASE("proxies come from the options only, never from the environment", "[transport]") {
  TestServer server;
  server.http().Get("/",
                    [](const httplib::Request&, httplib::Response& res) { res.set_content("direct", "text/plain"); });
  server.start();
  int closed_port = 0;
  {
    TestServer closed(Mode::plain);
    closed.start();
    closed_port = closed.port();
  }
  const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(closed_port);
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
    ::setenv(name, dead_proxy.c_str(), 1);
  auto direct = make_transport()->send(get(server.url("/")), Context());
  for (const char* name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) ::unsetenv(name);
  REQUIRE(direct.ok());
  CHECK(direct->body == "direct");

  CurlTransportOptions options = mtls_options();
  options.proxy = dead_proxy;
  auto proxied = make_transport(options)->send(get(server.url("/")), Context());
  REQUIRE_FALSE(proxied.ok());
  CHECK(proxied.error().category() == ErrorCategory::network);
}

TEST_CASE("TLS verification failures are tls errors", "[transport][tls]") {
  SECTION("server certificate from a CA the client does not trust") {
    TestServer server(Mode::tls, pki().foreign_server_cert, pki().foreign_server_key);
    server.http().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
    server.start();
    auto r = make_transport()->send(get(server.url("/")), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::tls);
    CHECK(contains(r.error().message(), "ca_file"));
  }
  SECTION("expired server certificate") {
    TestServer server(Mode::tls, pki().expired_cert, pki().expired_key);
    server.http().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
    server.start();
    auto r = make_transport()->send(get(server.url("/")), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::tls);
    CHECK(contains(r.error().message(), "expired"));
  }
  SECTION("certificate only for other.example, connecting to 127.0.0.1") {
    TestServer server(Mode::tls, pki().other_host_cert, pki().other_host_key);
    server.http().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
    server.start();
    auto r = make_transport()->send(get(server.url("/")), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::tls);
    CHECK(contains(r.error().message(), "host name"));
  }
}

TEST_CASE("a client certificate the server rejects is a tls error (TLS 1.3 post-handshake alert)", "[transport][tls]") {
  TestServer server;  // requires a client certificate signed by the test CA
  server.http().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "text/plain"); });
  server.start();

  SECTION("no client certificate") {
    CurlTransportOptions options = mtls_options();
    options.tls.client_cert_file.clear();
    options.tls.client_key_file.clear();
    auto r = make_transport(options)->send(get(server.url("/")), Context());
    REQUIRE_FALSE(r.ok());
    INFO(r.error().to_string());
    CHECK(r.error().category() == ErrorCategory::tls);
    CHECK(contains(r.error().message(), "client_cert_file"));
  }
  SECTION("client certificate from another CA") {
    CurlTransportOptions options = mtls_options();
    options.tls.client_cert_file = pki().foreign_client_cert;
    options.tls.client_key_file = pki().foreign_client_key;
    auto r = make_transport(options)->send(get(server.url("/")), Context());
    REQUIRE_FALSE(r.ok());
    INFO(r.error().to_string());
    CHECK(r.error().category() == ErrorCategory::tls);
  }
}

TEST_CASE("a connection dropped without an answer is a network error", "[transport]") {
  SECTION("with a clean TLS close") {
    DroppingTlsServer server(true);
    auto r = make_transport()->send(get(server.url()), Context());
    REQUIRE_FALSE(r.ok());
    INFO(r.error().to_string());
    CHECK(r.error().category() == ErrorCategory::network);
  }
  SECTION("by closing the socket") {
    DroppingTlsServer server(false);
    auto r = make_transport()->send(get(server.url()), Context());
    REQUIRE_FALSE(r.ok());
    INFO(r.error().to_string());
    CHECK(r.error().category() == ErrorCategory::network);
  }
  SECTION("after a mutual-TLS handshake the server accepted") {
    DroppingTlsServer server(false, true);
    auto r = make_transport()->send(get(server.url()), Context());
    REQUIRE_FALSE(r.ok());
    INFO(r.error().to_string());
    CHECK(r.error().category() == ErrorCategory::network);
  }
  SECTION("nothing listening") {
    int port = 0;
    {
      TestServer closed;
      closed.start();
      port = closed.port();
    }
    auto r = make_transport()->send(get("https://127.0.0.1:" + std::to_string(port) + "/"), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::network);
  }
}

TEST_CASE("timeouts: total limit, context deadline and stalled transfers", "[transport]") {
  TestServer server;
  server.http().Get("/slow", [&server](const httplib::Request&, httplib::Response& res) {
    server.pause(3s);
    res.set_content("late", "text/plain");
  });
  server.http().Get("/stall", [&server](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&server](std::size_t offset, httplib::DataSink& sink) {
      if (offset == 0) return sink.write("x", 1);
      server.pause(100ms);
      return !server.stopping().load();
    });
  });
  server.start();

  SECTION("total_timeout") {
    CurlTransportOptions options = mtls_options();
    options.total_timeout = 300ms;
    const auto start = std::chrono::steady_clock::now();
    auto r = make_transport(options)->send(get(server.url("/slow")), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::timeout);
    CHECK(contains(r.error().message(), "total_timeout"));
    CHECK(seconds_since(start) < 1.5);
  }
  SECTION("the context's deadline is shorter than total_timeout") {
    const auto start = std::chrono::steady_clock::now();
    auto r = make_transport()->send(get(server.url("/slow")), Context().with_timeout(300ms));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::timeout);
    CHECK(seconds_since(start) < 1.5);
  }
  SECTION("an expired context sends nothing") {
    Context past = Context().with_deadline(Context::Clock::now() - 1ms);
    auto r = make_transport()->send(get(server.url("/slow")), past);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::timeout);
  }
  SECTION("low-speed stall limit") {
    CurlTransportOptions options = mtls_options();
    options.low_speed_bytes = 1000;
    options.low_speed_time = 1s;
    const auto start = std::chrono::steady_clock::now();
    auto r = make_transport(options)->send(get(server.url("/stall")), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::timeout);
    CHECK(contains(r.error().message(), "stalled"));
    CHECK(seconds_since(start) < 3.0);
  }
}

TEST_CASE("cancel() from another thread interrupts an in-flight transfer promptly", "[transport]") {
  TestServer server;
  server.http().Get("/slow", [&server](const httplib::Request&, httplib::Response& res) {
    server.pause(5s);
    res.set_content("late", "text/plain");
  });
  server.start();
  auto transport = make_transport();
  Context context;
  std::thread canceller([context] {
    std::this_thread::sleep_for(200ms);
    context.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = transport->send(get(server.url("/slow")), context);
  const double elapsed = seconds_since(start);
  canceller.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::cancelled);
  CHECK(elapsed < 0.6);

  auto again = transport->send(get(server.url("/slow")), context);  // already cancelled
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().category() == ErrorCategory::cancelled);
}

TEST_CASE("the response size cap aborts the transfer with an error naming the cap", "[transport]") {
  TestServer server;
  server.http().Get("/sized", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(100 * 1024, 'x'), "text/plain");  // with Content-Length
  });
  server.http().Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t offset, httplib::DataSink& sink) {
      if (offset >= 100 * 1024) {
        sink.done();
        return true;
      }
      const std::string block(4096, 'y');
      return sink.write(block.data(), block.size());
    });
  });
  server.http().Get("/small", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(10 * 1024, 'z'), "text/plain");
  });
  server.start();
  CurlTransportOptions options = mtls_options();
  options.max_response_bytes = 10 * 1024;
  auto transport = make_transport(options);

  for (const char* path : {"/sized", "/chunked"}) {
    auto r = transport->send(get(server.url(path)), Context());
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().message(), "max_response_bytes (10240 bytes)"));
  }
  auto exact = transport->send(get(server.url("/small")), Context());
  REQUIRE(exact.ok());
  CHECK(exact->body.size() == 10 * 1024);
}

TEST_CASE("streaming hands 2xx bodies over in chunks; a chunk error stops the transfer", "[transport]") {
  TestServer server;
  server.http().Get("/stream", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t offset, httplib::DataSink& sink) {
      if (offset >= 8 * 1000) {
        sink.done();
        return true;
      }
      const std::string block(1000, static_cast<char>('a' + offset / 1000));
      return sink.write(block.data(), block.size());
    });
  });
  server.http().Get("/endless", [&server](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&server](std::size_t, httplib::DataSink& sink) {
      server.pause(5ms);
      const std::string block(1000, 'e');
      return !server.stopping() && sink.write(block.data(), block.size());
    });
  });
  server.http().Get("/error", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content("down", "text/plain");
  });
  server.start();
  CurlTransportOptions options = mtls_options();
  options.max_response_bytes = 1024;  // applies to collected bodies only
  auto transport = make_transport(options);

  SECTION("all chunks arrive in order") {
    std::string streamed;
    int chunks = 0;
    HttpRequest request = get(server.url("/stream"));
    request.on_body_chunk = [&](std::string_view chunk) {
      streamed += chunk;
      ++chunks;
      return Status();
    };
    auto r = transport->send(request, Context());
    REQUIRE(r.ok());
    CHECK(r->body.empty());
    CHECK(streamed.size() == 8000);
    CHECK(streamed.substr(0, 1000) == std::string(1000, 'a'));
    CHECK(streamed.substr(7000) == std::string(1000, 'h'));
    CHECK(chunks >= 1);
  }
  SECTION("an error from on_body_chunk ends the transfer with that error") {
    int chunks = 0;
    HttpRequest request = get(server.url("/endless"));
    request.headers.push_back({"Accept-Encoding", "identity", false});  // no compressor buffering
    request.on_body_chunk = [&](std::string_view) {
      return ++chunks < 3 ? Status() : Status(Error(ErrorCategory::decode, "record 2 is malformed"));
    };
    const auto start = std::chrono::steady_clock::now();
    auto r = transport->send(request, Context());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::decode);
    CHECK(r.error().message() == "record 2 is malformed");
    CHECK(chunks == 3);
    CHECK(seconds_since(start) < 2.0);
  }
  SECTION("an error status's body is collected, not streamed") {
    bool called = false;
    HttpRequest request = get(server.url("/error"));
    request.on_body_chunk = [&](std::string_view) {
      called = true;
      return Status();
    };
    auto r = transport->send(request, Context());
    REQUIRE(r.ok());
    CHECK(r->status == 503);
    CHECK(r->body == "down");
    CHECK_FALSE(called);
  }
}

TEST_CASE("plain HTTP: bearer tokens refused; loopback only with the development switch", "[transport]") {
  TestServer server(Mode::plain);
  std::atomic<int> hits{0};
  server.http().Get("/plain", [&hits](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.set_content("ok", "text/plain");
  });
  server.start();

  HttpRequest with_token = get(server.url("/plain"));
  with_token.headers.push_back({"Authorization", "Bearer secret-token-value", true});
  auto refused = make_transport()->send(with_token, Context());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::validation);
  CHECK(contains(refused.error().message(), "bearer tokens are never sent over plain HTTP"));
  CHECK_FALSE(contains(refused.error().message(), "secret-token-value"));

  auto without_switch = make_transport()->send(get(server.url("/plain")), Context());
  REQUIRE_FALSE(without_switch.ok());
  CHECK(without_switch.error().category() == ErrorCategory::validation);
  CHECK(hits == 0);

  CurlTransportOptions dev = mtls_options();
  dev.allow_plain_http_loopback = true;
  auto dev_transport = make_transport(dev);
  auto allowed = dev_transport->send(get(server.url("/plain")), Context());
  REQUIRE(allowed.ok());
  CHECK(allowed->body == "ok");
  CHECK(hits == 1);
  auto via_localhost =
      dev_transport->send(get("http://localhost:" + std::to_string(server.port()) + "/plain"), Context());
  REQUIRE(via_localhost.ok());

  auto remote = dev_transport->send(get("http://example.invalid/plain"), Context());
  REQUIRE_FALSE(remote.ok());
  CHECK(remote.error().category() == ErrorCategory::validation);
  auto disguised = dev_transport->send(get("http://127.0.0.1@example.invalid/plain"), Context());
  REQUIRE_FALSE(disguised.ok());
  CHECK(disguised.error().category() == ErrorCategory::validation);
  auto other_scheme = dev_transport->send(get("ftp://127.0.0.1/file"), Context());
  REQUIRE_FALSE(other_scheme.ok());
  CHECK(other_scheme.error().category() == ErrorCategory::validation);
}

TEST_CASE("invalid requests are refused before anything is sent", "[transport]") {
  auto transport = make_transport();
  HttpRequest injected = get("https://127.0.0.1:1/x");
  injected.headers.push_back({"X-Evil", "a\r\nHost: elsewhere", false});
  CHECK(transport->send(injected, Context()).error().category() == ErrorCategory::validation);
  HttpRequest bad_method = get("https://127.0.0.1:1/x");
  bad_method.method = "get me";
  CHECK(transport->send(bad_method, Context()).error().category() == ErrorCategory::validation);
  CHECK(transport->send(get("not a url"), Context()).error().category() == ErrorCategory::validation);
}

TEST_CASE("make_curl_transport refuses TLS files it cannot use", "[transport][tls]") {
  SECTION("missing files are validation errors naming the option") {
    for (int which = 0; which < 3; ++which) {
      CurlTransportOptions o = mtls_options();
      std::string& path = which == 0 ? o.tls.ca_file : which == 1 ? o.tls.client_cert_file : o.tls.client_key_file;
      path = pki().dir + "/does-not-exist.pem";
      auto r = make_curl_transport(o);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().category() == ErrorCategory::validation);
      CHECK(contains(r.error().message(), "does-not-exist.pem"));
    }
  }
  SECTION("a directory is not a file") {
    CurlTransportOptions o = mtls_options();
    o.tls.ca_file = pki().dir;
    CHECK(make_curl_transport(o).error().category() == ErrorCategory::validation);
  }
  SECTION("files that are not PEM, and a key that does not match, are tls errors") {
    const std::string garbage = pki().dir + "/garbage.pem";
    sandbox::write_file(garbage, "not a certificate\n");
    CurlTransportOptions bad_ca = mtls_options();
    bad_ca.tls.ca_file = garbage;
    CHECK(make_curl_transport(bad_ca).error().category() == ErrorCategory::tls);
    CurlTransportOptions bad_key = mtls_options();
    bad_key.tls.client_key_file = garbage;
    CHECK(make_curl_transport(bad_key).error().category() == ErrorCategory::tls);
    CurlTransportOptions mismatched = mtls_options();
    mismatched.tls.client_key_file = pki().foreign_client_key;
    auto r = make_curl_transport(mismatched);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::tls);
    CHECK(contains(r.error().message(), "does not belong"));
  }
  SECTION("a key without a certificate does nothing, so it is an error") {
    CurlTransportOptions o = mtls_options();
    o.tls.client_cert_file.clear();
    CHECK(make_curl_transport(o).error().category() == ErrorCategory::validation);
  }
  SECTION("invalid limits") {
    CurlTransportOptions o = mtls_options();
    o.total_timeout = 0ms;
    CHECK(make_curl_transport(o).error().category() == ErrorCategory::validation);
  }
}

TEST_CASE("an encrypted client key works with its passphrase only", "[transport][tls]") {
  // Re-encrypt the test client key with a passphrase.
  BIO* in = BIO_new_file(pki().client_key.c_str(), "r");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  REQUIRE(key != nullptr);
  const std::string encrypted_path = pki().dir + "/client-encrypted.key";
  BIO* out = BIO_new_file(encrypted_path.c_str(), "w");
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                        const_cast<char*>("correct horse")) == 1);
  BIO_free(out);
  EVP_PKEY_free(key);

  TestServer server;
  server.http().Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  server.start();

  CurlTransportOptions o = mtls_options();
  o.tls.client_key_file = encrypted_path;
  o.tls.client_key_passphrase = SecretString("wrong");
  auto wrong = make_curl_transport(o);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().category() == ErrorCategory::tls);
  CHECK_FALSE(contains(wrong.error().message(), "wrong"));

  o.tls.client_key_passphrase = SecretString("correct horse");
  auto transport = make_curl_transport(o);
  REQUIRE(transport.ok());
  auto r = (*transport)->send(get(server.url("/")), Context());
  REQUIRE(r.ok());
  CHECK(r->body == "ok");
}

TEST_CASE("a client key readable by group or others is warned about", "[transport][tls][security]") {
  const std::string key = pki().dir + "/exposed-client.key";
  std::ifstream in(pki().client_key);
  std::stringstream text;
  text << in.rdbuf();
  sandbox::write_file(key, text.str(), 0600);
  for (const auto& [mode, warned] : {std::pair{0600, false}, std::pair{0640, true}, std::pair{0644, true},
                                     std::pair{0604, true}, std::pair{0700, false}}) {
    INFO(std::oct << mode);
    REQUIRE(::chmod(key.c_str(), static_cast<mode_t>(mode)) == 0);
    std::vector<std::string> warnings;
    CurlTransportOptions o = mtls_options();
    o.tls.client_key_file = key;
    o.logger = Logger(
        [&](LogLevel level, std::string_view line) {
          if (level == LogLevel::warn) warnings.emplace_back(line);
        },
        LogLevel::warn);
    REQUIRE(make_curl_transport(o).ok());  // a warning, not a refusal: the key still works
    CHECK(warnings.size() == (warned ? 1u : 0u));
    if (warned) {
      CHECK(contains(warnings[0], key));
      CHECK(contains(warnings[0], "chmod 600"));
    }
  }
}

TEST_CASE("debug log lines name method, path and status, never query, headers or bodies", "[transport]") {
  TestServer server;
  server.http().Post("/online-resource-web/result", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"data\":\"PHI\"}", "application/json");
  });
  server.start();
  std::mutex mutex;
  std::vector<std::string> lines;
  CurlTransportOptions o = mtls_options();
  o.logger = Logger(
      [&](LogLevel, std::string_view line) {
        std::lock_guard<std::mutex> lock(mutex);
        lines.emplace_back(line);
      },
      LogLevel::debug);
  HttpRequest request;
  request.url = server.url("/online-resource-web/result?code=query-secret");
  request.headers.push_back({"Authorization", "Bearer token-secret", true});
  request.body = "body-secret";
  REQUIRE(make_transport(o)->send(request, Context()).ok());
  REQUIRE(lines.size() == 1);
  CHECK(contains(lines[0],
                 "POST https://127.0.0.1:" + std::to_string(server.port()) + "/online-resource-web/result -> 200"));
  CHECK(contains(lines[0], " ms"));
  for (const char* secret : {"query-secret", "token-secret", "body-secret", "PHI", "code="}) {
    CHECK_FALSE(contains(lines[0], secret));
  }
}

TEST_CASE("one transport serves 16 threads × 20 requests", "[transport][threads]") {
  TestServer server;
  server.http().new_task_queue = [] { return new httplib::ThreadPool(24); };
  server.http().Post(
      "/echo", [](const httplib::Request& req, httplib::Response& res) { res.set_content(req.body, "text/plain"); });
  server.start();
  CurlTransportOptions o = mtls_options();
  o.max_idle_connections = 8;
  auto transport = make_transport(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        HttpRequest request;
        request.url = server.url("/echo");
        request.body = std::to_string(t) + "/" + std::to_string(i);
        auto r = transport->send(request, Context());
        if (r && r->status == 200 && r->body == request.body)
          ++ok;
        else if (!r)
          std::fprintf(stderr, "%s\n", r.error().to_string().c_str());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 16 * 20);
}
