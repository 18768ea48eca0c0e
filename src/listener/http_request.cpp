// Incremental HTTP/1.1 request reading with caps on every part (see http_request.hpp).
#include "listener/http_request.hpp"

#include <algorithm>

#include "internal/text.hpp"

namespace myna::internal::listener {
namespace {

constexpr std::size_t kMaxChunkLine = 256;  // hex size and extensions
// Chunk framing (size lines, extensions, delimiters) a body may carry: 4 bytes per body byte
// and 1 KiB more, far beyond what any client sends, so that framing alone cannot go on forever.
constexpr std::size_t kFramingAllowance = 1024;
constexpr std::string_view kCrlf = "\r\n";

std::string lower(std::string_view s) {  // header names are stored lower-case
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

bool is_token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char); }

bool is_field_value(std::string_view s) {  // visible characters, spaces, tabs, obs-text
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || u >= 0x20 ? u != 0x7f : false;
  });
}

/// Whether text[from…] holds a LF without its CR, or a CR followed by anything but LF: lines
/// end in CRLF only (a lone LF or CR is how request-smuggling payloads disagree with proxies).
bool has_lone_cr_or_lf(std::string_view text, std::size_t from) {
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return true;
    if (i > 0 && text[i - 1] == '\r' && text[i] != '\n') return true;
  }
  return false;
}

/// Whether a comma-separated field value lists `option` (case-insensitive).
bool lists(std::string_view value, std::string_view option) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    if (iequals(trim_ows(value.substr(0, comma)), option)) return true;
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::size_t RequestReader::feed(std::string_view data) {
  std::size_t used = 0;
  if (!data.empty()) started_ = true;
  while (used < data.size() && state_ == State::reading) {
    const std::string_view rest = data.substr(used);
    switch (phase_) {
      case Phase::head: used += feed_head(rest); break;
      case Phase::body: used += feed_body(rest); break;
      case Phase::chunk_size: used += feed_chunk_line(rest); break;
      case Phase::chunk_data: used += feed_chunk_data(rest); break;
      case Phase::chunk_end: used += feed_chunk_end(rest); break;
      case Phase::trailer: used += feed_trailer(rest); break;
      case Phase::done: return used;
    }
  }
  return used;
}

HttpRequest RequestReader::take() {
  HttpRequest out = std::move(request_);
  *this = RequestReader(limits_);
  return out;
}

std::size_t RequestReader::fail(int status) {
  state_ = State::failed;
  error_status_ = status;
  phase_ = Phase::done;
  return 0;
}

bool RequestReader::refuse(int status) {
  fail(status);
  return false;
}

void RequestReader::finish() {
  state_ = State::complete;
  phase_ = Phase::done;
}

// ---- head

std::size_t RequestReader::feed_head(std::string_view data) {
  // Counted against the cap: the request line and fields with their CRLFs; the empty line that
  // ends the head is not. "\r\n\r\n" may straddle two reads.
  const std::size_t limit = limits_.max_header_bytes + 2;
  const std::size_t old = line_.size();
  const std::size_t take = std::min(data.size(), limit - old);
  line_.append(data.substr(0, take));
  const std::size_t end = line_.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
  if (end != std::string::npos) line_.resize(end + 4);  // what follows is the body or the next request
  if (has_lone_cr_or_lf(line_, old)) return fail(400);
  if (end == std::string::npos) return line_.size() >= limit ? fail(431) : take;
  const std::size_t used = end + 4 - old;
  line_.resize(end + 2);  // keep the last field's CRLF
  if (!parse_head()) return used;
  line_.clear();
  return used;
}

bool RequestReader::parse_head() {
  std::string_view head = line_;
  const auto first = head.find(kCrlf);
  if (!parse_request_line(head.substr(0, first))) return false;
  head.remove_prefix(first + 2);
  while (!head.empty()) {
    const auto eol = head.find(kCrlf);
    if (!parse_field(head.substr(0, eol))) return false;
    head.remove_prefix(eol + 2);
  }
  return choose_framing();
}

bool RequestReader::parse_request_line(std::string_view line) {
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return refuse(400);
  const std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                         version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty() || target.front() != '/') return refuse(400);
  if (!std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) return refuse(400);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return refuse(version.substr(0, 5) == "HTTP/" ? 505 : 400);
  http10_ = version == "HTTP/1.0";
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.path = std::string(target.substr(0, target.find('?')));
  request_.keep_alive = !http10_;
  return true;
}

bool RequestReader::parse_field(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) return refuse(400);  // also folding
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_field_value(value)) return refuse(400);
  if (request_.headers.size() >= limits_.max_fields) return refuse(431);
  request_.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
  return true;
}

bool RequestReader::choose_framing() {
  const std::string* length = nullptr;
  const std::string* coding = nullptr;
  for (const auto& [name, value] : request_.headers) {
    const std::string** slot = name == "content-length" ? &length : name == "transfer-encoding" ? &coding : nullptr;
    if (slot && *slot) return refuse(400);  // repeated: ambiguous framing
    if (slot) *slot = &value;
    if (name == "connection" && lists(value, "close")) request_.keep_alive = false;
    if (name == "expect" && iequals(value, "100-continue") && !http10_) expects_continue_ = true;
  }
  if (length && coding) return refuse(400);  // both: a request-smuggling shape
  if (coding) {
    if (http10_) return refuse(400);
    if (!iequals(*coding, "chunked")) return refuse(501);
    phase_ = Phase::chunk_size;
    return true;
  }
  if (length) {
    if (length->size() > 18 || !all_digits(*length)) return refuse(400);
    remaining_ = static_cast<std::size_t>(digits_value(*length));
    if (remaining_ > limits_.max_body_bytes) return refuse(413);
  }
  phase_ = Phase::body;
  if (remaining_ == 0) finish();
  return true;
}

// ---- bodies

std::size_t RequestReader::feed_body(std::string_view data) {
  const std::size_t n = std::min(data.size(), remaining_);
  request_.body.append(data.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0) finish();
  return n;
}

std::size_t RequestReader::feed_chunk_line(std::string_view data) {
  const auto eol = data.find('\n');
  const std::size_t n = eol == std::string_view::npos ? data.size() : eol + 1;
  line_.append(data.substr(0, n));
  framing_bytes_ += n;
  if (line_.size() > kMaxChunkLine) return fail(400);
  if (framing_bytes_ > 4 * limits_.max_body_bytes + kFramingAllowance) return fail(413);
  if (eol == std::string_view::npos) return n;
  if (line_.size() < 2 || line_[line_.size() - 2] != '\r') return fail(400);
  line_.resize(line_.size() - 2);
  if (!chunk_size_from(line_)) return n;
  line_.clear();
  phase_ = remaining_ == 0 ? Phase::trailer : Phase::chunk_data;
  return n;
}

bool RequestReader::chunk_size_from(std::string_view line) {
  const std::string_view size = trim_ows(line.substr(0, line.find(';')));
  if (size.empty() || size.size() > 16) return refuse(size.empty() ? 400 : 413);
  std::size_t value = 0;
  for (char c : size) {
    const int d = hex_value(c);
    if (d < 0) return refuse(400);
    value = value * 16 + static_cast<std::size_t>(d);
    if (value > limits_.max_body_bytes) return refuse(413);
  }
  if (request_.body.size() + value > limits_.max_body_bytes) return refuse(413);
  remaining_ = value;
  return true;
}

std::size_t RequestReader::feed_chunk_data(std::string_view data) {
  const std::size_t n = std::min(data.size(), remaining_);
  request_.body.append(data.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0) phase_ = Phase::chunk_end;
  return n;
}

std::size_t RequestReader::feed_chunk_end(std::string_view data) {
  // Exactly CRLF after the chunk's data; it may arrive one byte at a time.
  const std::size_t n = std::min(data.size(), kCrlf.size() - line_.size());
  line_.append(data.substr(0, n));
  if (kCrlf.substr(0, line_.size()) != line_) return fail(400);
  framing_bytes_ += n;
  if (line_.size() == kCrlf.size()) {
    line_.clear();
    phase_ = Phase::chunk_size;
  }
  return n;
}

std::size_t RequestReader::feed_trailer(std::string_view data) {
  // Trailer fields are read and dropped; with the head they share max_header_bytes.
  const auto eol = data.find('\n');
  const std::size_t n = eol == std::string_view::npos ? data.size() : eol + 1;
  line_.append(data.substr(0, n));
  trailer_bytes_ += n;
  if (trailer_bytes_ > limits_.max_header_bytes) return fail(431);
  if (eol == std::string_view::npos) return n;
  if (line_.size() < 2 || line_[line_.size() - 2] != '\r') return fail(400);
  const bool last = line_.size() == 2;
  if (!last && line_.find(':') == std::string::npos) return fail(400);
  line_.clear();
  if (last) finish();
  return n;
}

}  // namespace myna::internal::listener
