// The listener's request reader: framing, caps and refusals, fed whole, in pieces and one byte
// at a time (the way slow or hostile peers deliver requests).
#include <catch2/catch.hpp>
#include <string>

#include "listener/http_request.hpp"

using myna::internal::listener::HttpRequest;
using myna::internal::listener::RequestLimits;
using myna::internal::listener::RequestReader;
using State = RequestReader::State;

namespace {

RequestLimits small_limits() {
  RequestLimits l;
  l.max_header_bytes = 256;
  l.max_body_bytes = 64;
  l.max_fields = 8;
  return l;
}

/// Feeds `wire` in pieces of `step` bytes; returns the bytes used in total.
std::size_t feed_in_steps(RequestReader& reader, const std::string& wire, std::size_t step) {
  std::size_t used = 0;
  while (used < wire.size() && reader.state() == State::reading) {
    const std::size_t n = reader.feed(std::string_view(wire).substr(used, step));
    used += n;
    if (n == 0) break;
  }
  return used;
}

/// The outcome of reading `wire` (whole, in 7-byte pieces and byte by byte must agree).
int status_of(const std::string& wire, RequestLimits limits = small_limits()) {
  int seen = -1;
  for (std::size_t step : {wire.size() + 1, std::size_t{7}, std::size_t{1}}) {
    RequestReader reader(limits);
    feed_in_steps(reader, wire, step);
    const int status = reader.state() == State::complete ? 200
                       : reader.state() == State::failed ? reader.error_status()
                                                         : 0;
    if (seen >= 0 && status != seen) return -status;  // pieces changed the outcome: a bug
    seen = status;
  }
  return seen;
}

const std::string kHead = "POST /myna/notify?x=1 HTTP/1.1\r\nHost: h\r\n";

}  // namespace

TEST_CASE("listener reader: a Content-Length request, whole and byte by byte", "[listener][reader]") {
  const std::string wire =
      kHead + "Content-Type: application/json\r\nContent-Length: 2\r\nX-Mixed-Case:  v a \r\n\r\n{}";
  for (std::size_t step : {wire.size(), std::size_t{3}, std::size_t{1}}) {
    RequestReader reader(small_limits());
    CHECK(feed_in_steps(reader, wire, step) == wire.size());
    REQUIRE(reader.state() == State::complete);
    HttpRequest r = reader.take();
    CHECK(r.method == "POST");
    CHECK(r.target == "/myna/notify?x=1");
    CHECK(r.path == "/myna/notify");
    CHECK(r.body == "{}");
    CHECK(r.keep_alive);
    REQUIRE(r.headers.size() == 4);
    CHECK(r.headers[3].first == "x-mixed-case");
    CHECK(r.headers[3].second == "v a");
    CHECK(reader.state() == State::reading);  // ready for the next request
    CHECK_FALSE(reader.started());
  }
}

TEST_CASE("listener reader: line ends are checked in the head only, not in a body that came with it",
          "[listener][reader][fuzz]") {
  // Found by fuzzing (fuzz/regressions/listener_request/body-line-feed-with-head): a body with a
  // bare LF (pretty-printed JSON) arriving in the same read as the head was refused with 400.
  const std::string body = "{\n  \"a\": 1\r}";
  const std::string wire = kHead + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  CHECK(status_of(wire) == 200);
  RequestReader reader(small_limits());
  CHECK(reader.feed(wire) == wire.size());
  REQUIRE(reader.state() == State::complete);
  CHECK(reader.take().body == body);
}

TEST_CASE("listener reader: chunked bodies are joined; extensions and trailers are dropped", "[listener][reader]") {
  const std::string wire = kHead + "Transfer-Encoding: Chunked\r\n\r\n" + "4;ext=1\r\n{\"a\"\r\n" +
                           "9 \r\n:1234567}\r\n" + "0\r\nX-Trailer: t\r\n\r\n";
  for (std::size_t step : {wire.size(), std::size_t{5}, std::size_t{1}}) {
    RequestReader reader(small_limits());
    CHECK(feed_in_steps(reader, wire, step) == wire.size());
    REQUIRE(reader.state() == State::complete);
    CHECK(reader.take().body == "{\"a\":1234567}");
  }
}

TEST_CASE("listener reader: pipelined requests are read one at a time", "[listener][reader]") {
  const std::string first = "GET /callback?code=1 HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string second = kHead + "Content-Length: 3\r\nConnection: keep-alive, Close\r\n\r\nabc";
  RequestReader reader(small_limits());
  const std::string both = first + second;
  CHECK(reader.feed(both) == first.size());
  REQUIRE(reader.state() == State::complete);
  CHECK(reader.take().target == "/callback?code=1");
  CHECK(reader.feed(std::string_view(both).substr(first.size())) == second.size());
  REQUIRE(reader.state() == State::complete);
  HttpRequest r = reader.take();
  CHECK(r.body == "abc");
  CHECK_FALSE(r.keep_alive);
}

TEST_CASE("listener reader: the caps hold exactly", "[listener][reader]") {
  const RequestLimits l = small_limits();
  SECTION("body: Content-Length") {
    CHECK(status_of(kHead + "Content-Length: 64\r\n\r\n" + std::string(64, 'b')) == 200);
    CHECK(status_of(kHead + "Content-Length: 65\r\n\r\n") == 413);  // refused before the body
    CHECK(status_of(kHead + "Content-Length: 99999999999999999999\r\n\r\n") == 400);
  }
  SECTION("body: chunked, however it is cut") {
    CHECK(status_of(kHead + "Transfer-Encoding: chunked\r\n\r\n20\r\n" + std::string(32, 'b') + "\r\n20\r\n" +
                    std::string(32, 'b') + "\r\n0\r\n\r\n") == 200);
    CHECK(status_of(kHead + "Transfer-Encoding: chunked\r\n\r\n20\r\n" + std::string(32, 'b') + "\r\n21\r\n") == 413);
    CHECK(status_of(kHead + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n") == 413);
    std::string tiny = kHead + "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 64; ++i) tiny += "1\r\nb\r\n";  // framing far larger than the body
    CHECK(status_of(tiny + "0\r\n\r\n") == 200);
    std::string endless = kHead + "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 200; ++i) endless += "0;" + std::string(200, 'e') + "\r\n";  // never a body byte
    CHECK(status_of(endless) != 200);
  }
  SECTION("head") {
    std::string head = kHead + "Content-Length: 0\r\nX-Pad: ";
    const std::string exact = head + std::string(l.max_header_bytes - head.size() - 2, 'p') + "\r\n\r\n";
    REQUIRE(exact.size() == l.max_header_bytes + 2);  // the final CRLF is not counted
    CHECK(status_of(exact) == 200);
    CHECK(status_of(head + std::string(l.max_header_bytes, 'p') + "\r\n\r\n") == 431);
    CHECK(status_of(head + std::string(10000, 'p')) == 431);  // before the end of the head
    std::string many = kHead;
    for (std::size_t i = 0; i < l.max_fields; ++i) many += "X: 1\r\n";
    CHECK(status_of(many + "\r\n") == 431);
  }
  SECTION("trailers share the header cap") {
    CHECK(status_of(kHead + "Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + std::string(300, 't') + "\r\n\r\n") ==
          431);
  }
}

TEST_CASE("listener reader: malformed or ambiguous requests are refused", "[listener][reader]") {
  struct Case {
    const char* name;
    std::string wire;
    int status;
  };
  const std::vector<Case> cases = {
      {"bare LF line ends", "POST / HTTP/1.1\nHost: h\n\n", 400},
      {"bare CR in the head", "POST / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400},
      {"space before the colon", "POST / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
      {"folded field", "POST / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 400},
      {"control character in a value",
       "POST / HTTP/1.1\r\nX: a\x01"
       "b\r\n\r\n",
       400},
      {"method with a slash", "PO/ST / HTTP/1.1\r\n\r\n", 400},
      {"absolute-form target", "POST http://evil.example/ HTTP/1.1\r\n\r\n", 400},
      {"target with a space", "POST /a b HTTP/1.1\r\n\r\n", 400},
      {"HTTP/2.0", "POST / HTTP/2.0\r\n\r\n", 505},
      {"no version", "POST /\r\n\r\n", 400},
      {"chunked and Content-Length", kHead + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"two Transfer-Encodings", kHead + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"gzip coding", kHead + "Transfer-Encoding: gzip\r\n\r\n", 501},
      {"chunked after another coding", kHead + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"signed Content-Length", kHead + "Content-Length: +1\r\n\r\nx", 400},
      {"bad chunk size", kHead + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"chunk without its CRLF", kHead + "Transfer-Encoding: chunked\r\n\r\n2\r\nabXY", 400},
      {"chunk line with bare LF", kHead + "Transfer-Encoding: chunked\r\n\r\n2\nab\r\n", 400},
      {"trailer that is not a field", kHead + "Transfer-Encoding: chunked\r\n\r\n0\r\nnonsense\r\n\r\n", 400},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(status_of(c.wire) == c.status);
  }
}

TEST_CASE("listener reader: connection options and 100-continue", "[listener][reader]") {
  RequestReader reader(small_limits());
  reader.feed("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n");
  CHECK(reader.state() == State::reading);
  CHECK(reader.expects_continue());
  reader.feed("{}");
  REQUIRE(reader.state() == State::complete);
  reader.take();

  reader.feed("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  CHECK_FALSE(reader.expects_continue());  // HTTP/1.0 clients do not wait for it
  reader.feed("{}");
  REQUIRE(reader.state() == State::complete);
  CHECK_FALSE(reader.take().keep_alive);  // HTTP/1.0: one request per connection

  reader.feed("GET / HTTP/1.1\r\n\r\n");
  REQUIRE(reader.state() == State::complete);
  CHECK(reader.take().keep_alive);
}
