// The callback listener's request reader over a stream of (pipelined) requests. The first
// byte picks the size of the pieces the stream arrives in (0: whole). Properties: no crash;
// pieces never change the outcome (differential against the whole stream); a complete request
// stays within the caps (head, fields, body), its body has its Content-Length, and it never
// had both framings; a refusal is 400, 413, 431, 501 or 505; the reader never uses more than
// it was given and nothing once it is done.
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "listener/http_request.hpp"

namespace {

using myna::internal::listener::HttpRequest;
using myna::internal::listener::RequestLimits;
using myna::internal::listener::RequestReader;

RequestLimits limits() {
  RequestLimits l;
  l.max_header_bytes = 512;
  l.max_body_bytes = 256;
  l.max_fields = 16;
  return l;
}

std::string header(const HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return {};
}

void check_request(const HttpRequest& r) {
  const RequestLimits l = limits();
  if (r.body.size() > l.max_body_bytes) myna::fuzz::fail("a body over the cap was accepted");
  if (r.headers.size() > l.max_fields) myna::fuzz::fail("more fields than the cap were accepted");
  std::size_t head = r.method.size() + r.target.size();
  for (const auto& [n, v] : r.headers) head += n.size() + v.size();
  if (head > l.max_header_bytes) myna::fuzz::fail("a head over the cap was accepted");
  if (r.target.rfind(r.path, 0) != 0 || r.path.empty() || r.path.front() != '/')
    myna::fuzz::fail("the path is not the start of the target");
  const std::string length = header(r, "content-length"), coding = header(r, "transfer-encoding");
  if (!length.empty() && !coding.empty()) myna::fuzz::fail("a request with both framings was accepted");
  if (!length.empty() && std::stoull(length) != r.body.size()) myna::fuzz::fail("the body is not Content-Length");
  if (coding.empty() && length.empty() && !r.body.empty()) myna::fuzz::fail("a body without framing");
}

/// Outcomes of reading the stream in pieces of `step` bytes: one line per request read.
std::vector<std::string> read_all(std::string_view stream, std::size_t step) {
  std::vector<std::string> outcomes;
  RequestReader reader(limits());
  std::string_view rest = stream;
  std::size_t offered = 0;  // of the current piece, what the reader has not used yet
  while (!rest.empty()) {
    const std::size_t piece = offered > 0 ? offered : std::min(step, rest.size());
    const std::size_t used = reader.feed(rest.substr(0, piece));
    if (used > piece) myna::fuzz::fail("the reader used more than it was given");
    rest.remove_prefix(used);
    offered = piece - used;
    if (reader.state() == RequestReader::State::complete) {
      HttpRequest r = reader.take();
      check_request(r);
      outcomes.push_back(r.method + " " + r.target + " " + std::to_string(r.headers.size()) + " " + r.body + " " +
                         (r.keep_alive ? "keep" : "close"));
    } else if (reader.state() == RequestReader::State::failed) {
      const int s = reader.error_status();
      if (s != 400 && s != 413 && s != 431 && s != 501 && s != 505) myna::fuzz::fail("an unexpected refusal status");
      if (reader.feed(rest) != 0) myna::fuzz::fail("a failed reader used more input");
      outcomes.push_back("failed " + std::to_string(s));
      return outcomes;
    } else if (used < piece) {
      myna::fuzz::fail("a reading reader left input unused");
    }
  }
  outcomes.push_back(reader.started() ? "incomplete" : "idle");
  return outcomes;
}

}  // namespace

MYNA_FUZZ_TARGET(listener_request) {
  myna::fuzz::Bytes bytes(input);
  const std::size_t step = bytes.byte();
  const std::string_view stream = bytes.rest();
  const auto whole = read_all(stream, stream.size() + 1);
  if (step > 0 && read_all(stream, step) != whole) myna::fuzz::fail("pieces changed what was read");
  if (read_all(stream, 1) != whole) myna::fuzz::fail("byte-by-byte reading changed what was read");
}
