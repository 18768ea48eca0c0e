// An incremental HTTP/1.1 request reader for the callback listener (internal header): it
// takes bytes as they arrive and keeps at most one request head (max_header_bytes) and one
// decoded body (max_body_bytes), whatever the framing. Content-Length and chunked bodies are
// read; any other transfer coding, both framings at once, or a malformed head is refused.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myna::internal::listener {

struct HttpRequest {
  std::string method;                                        ///< "GET", "POST", … (case-sensitive, as sent)
  std::string target;                                        ///< as sent: path and query
  std::string path;                                          ///< target up to '?'
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-case, values trimmed
  std::string body;                                          ///< decoded (chunks joined)
  bool keep_alive = true;                                    ///< HTTP/1.1 without "Connection: close"
};

struct RequestLimits {
  std::size_t max_header_bytes = 8 * 1024;  ///< request line, fields and chunked trailers
  std::size_t max_body_bytes = 64 * 1024;   ///< decoded body
  std::size_t max_fields = 64;              ///< header fields
};

class RequestReader {
 public:
  enum class State { reading, complete, failed };

  explicit RequestReader(RequestLimits limits) : limits_(limits) {}

  /// Consumes bytes of the request; returns how many were used. Once complete or failed it
  /// uses nothing more: the rest belongs to the next request (or is never read).
  std::size_t feed(std::string_view data);

  State state() const noexcept { return state_; }
  /// The status to answer a failed request with (400, 413, 431, 501, 505).
  int error_status() const noexcept { return error_status_; }
  /// True once the head is read and the client waits for "100 Continue" before its body.
  bool expects_continue() const noexcept { return expects_continue_ && phase_ != Phase::head; }
  /// True once any byte of this request arrived.
  bool started() const noexcept { return started_; }

  /// The complete request; the reader starts over for the next one.
  HttpRequest take();

 private:
  enum class Phase { head, body, chunk_size, chunk_data, chunk_end, trailer, done };

  std::size_t feed_head(std::string_view data);
  std::size_t feed_body(std::string_view data);
  std::size_t feed_chunk_line(std::string_view data);
  std::size_t feed_chunk_data(std::string_view data);
  std::size_t feed_chunk_end(std::string_view data);
  std::size_t feed_trailer(std::string_view data);
  bool parse_head();
  bool parse_request_line(std::string_view line);
  bool parse_field(std::string_view line);
  bool choose_framing();
  bool chunk_size_from(std::string_view line);
  std::size_t fail(int status);  ///< returns 0: nothing more is used
  bool refuse(int status);       ///< fails; returns false
  void finish();

  RequestLimits limits_;
  State state_ = State::reading;
  Phase phase_ = Phase::head;
  int error_status_ = 0;
  bool started_ = false;
  bool expects_continue_ = false;
  bool http10_ = false;
  std::string line_;  ///< the head, or the chunk-size / trailer line being read
  std::size_t trailer_bytes_ = 0;
  std::size_t framing_bytes_ = 0;  ///< chunk-size lines and chunk delimiters read
  std::size_t remaining_ = 0;      ///< body or chunk bytes still to read
  HttpRequest request_;
};

}  // namespace myna::internal::listener
