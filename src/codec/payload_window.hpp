// The buffer decoder's former fast path (internal; replaced by payload_scanner.hpp, kept for
// test_codec_paths, which checks it against the other paths). The payload is unescaped piece by piece
// into a small window that RapidJSON parses in place (in-situ: the handler gets strings where
// they lie instead of copies made character by character into the parser's stack). A window
// ends only right after a string's closing quote; the parser finds the window's NUL there
// when it next skips whitespace, and refills it. Extra memory: one window, whatever the body.
#pragma once

#include <algorithm>
#include <memory>
#include <string_view>

#include <rapidjson/reader.h>

#include "codec/byte_scan.hpp"
#include "codec/payload_decoder.hpp"

namespace myna::internal {

class PayloadWindow {
 public:
  static constexpr std::size_t kWindow = 64 * 1024;  // stays in the core's cache

  /// The body of the embedded JSON string, from raw (after its opening quote) to end. A string
  /// longer than max_string does not fit: the window declines (the payload would fail anyway).
  PayloadWindow(const char* raw, const char* end, std::size_t max_string, std::size_t window = kWindow)
      : p_(raw),
        end_(end),
        window_(window),
        capacity_(std::min(window + max_string + 64, static_cast<std::size_t>(end - raw))) {
    buf_.reset(new char[capacity_ + kPadding]);
  }
  /// A bare payload document: one window holding all of it.
  explicit PayloadWindow(std::string_view document) : capacity_(document.size()), last_(true) {
    buf_.reset(new char[capacity_ + kPadding]);
    finish(std::copy(document.begin(), document.end(), buf_.get()));
  }

  char* begin() noexcept { return buf_.get(); }
  char* end() noexcept { return buf_.get() + size_; }
  /// The window holds the end of the payload.
  bool last() const noexcept { return last_; }
  /// Set when the payload holds what the streaming path stops on (control character, bad or
  /// NUL escape, truncation) or what the window cannot hold: decode it on the streaming path.
  bool declined() const noexcept { return declined_; }
  /// After the last window: the body position after the closing quote.
  const char* after() const noexcept { return p_; }

  /// Unescapes the next piece. False when declined.
  bool fill() {
    char* out = buf_.get();
    // Unescaping never lengthens text: reading up to limit_ never writes past capacity.
    limit_ = p_ + std::min(static_cast<std::size_t>(end_ - p_), capacity_);
    for (;;) {
      copy_plain(p_, limit_, out);
      if (limit_ - p_ >= 2 && p_[0] == '\\' && p_[1] == '"') {  // most escapes: the payload's quotes
        *out++ = '"';
        p_ += 2;
        if (quote(out)) break;
        continue;
      }
      if (p_ == limit_) return decline();  // end of body, or the window is full
      const char c = *p_++;
      if (c == '"') {
        last_ = true;
        break;
      }
      if (c != '\\' || !unescape_one(p_, limit_, out)) return decline();
      if (out[-1] == '"' ? quote(out) : (other(out), false)) break;
    }
    finish(out);
    return true;
  }

 private:
  static constexpr std::size_t kPadding = 1 + kBlock;  // the NUL, then block loads and stores

  bool decline() noexcept {
    declined_ = true;
    finish(buf_.get());
    return false;
  }
  void finish(char* end) noexcept {
    size_ = static_cast<std::size_t>(end - buf_.get());
    std::fill_n(end, kPadding, '\0');
  }

  // The inner document's strings, followed through the characters escapes produce (only they
  // produce '"' and '\\'). An unescaped '"' opens or closes a string unless a backslash in the
  // string escaped it. True when a string closed and the window is full: a place to cut.
  bool quote(const char* out) noexcept {
    if (inner_escape_) {
      inner_escape_ = false;
      return false;
    }
    in_string_ = !in_string_;
    return !in_string_ && static_cast<std::size_t>(out - buf_.get()) >= window_;
  }
  // Any other character from an escape: a backslash in a string escapes the next character,
  // which is taken at once when it is a plain byte (plain bytes are copied unseen).
  void other(char*& out) noexcept {
    if (inner_escape_) {
      inner_escape_ = false;
      return;
    }
    if (out[-1] != '\\' || !in_string_) return;
    inner_escape_ = true;
    if (p_ != limit_ && is_plain(*p_)) *out++ = *p_++, inner_escape_ = false;
  }

  // One escape after its backslash: the rules of PayloadStream::unescape.
  static bool unescape_one(const char*& p, const char* end, char*& out) {
    if (p == end) return false;
    switch (*p++) {
      case '"': *out++ = '"'; return true;
      case '\\': *out++ = '\\'; return true;
      case '/': *out++ = '/'; return true;
      case 'b': *out++ = '\b'; return true;
      case 'f': *out++ = '\f'; return true;
      case 'n': *out++ = '\n'; return true;
      case 'r': *out++ = '\r'; return true;
      case 't': *out++ = '\t'; return true;
      case 'u': return unicode(p, end, out);
      default: return false;
    }
  }

  static bool unicode(const char*& p, const char* end, char*& out) {
    int cp = hex4(p, end);
    if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;  // bad, NUL, lone low surrogate
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return false;
      p += 2;
      const int lo = hex4(p, end);
      if (lo < 0xDC00 || lo > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    out += encode_utf8(static_cast<unsigned>(cp), out);
    return true;
  }

  static int hex4(const char*& p, const char* end) {
    if (end - p < 4) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_digit(*p++);
      if (digit < 0) return -1;
      v = v << 4 | digit;
    }
    return v;
  }

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* limit_ = nullptr;
  std::size_t window_ = 0;
  std::size_t capacity_;
  std::unique_ptr<char[]> buf_;
  std::size_t size_ = 0;
  bool last_ = false, declined_ = false;
  bool in_string_ = false, inner_escape_ = false;
};

/// RapidJSON's in-situ stream over a PayloadWindow: its own type, so that the reader scans
/// plain string text a block at a time and refills the window between tokens (below).
struct WindowStream : rapidjson::InsituStringStream {
  WindowStream(PayloadWindow& w, ValueBudget& b) : rapidjson::InsituStringStream(w.begin()), window(&w), budget(&b) {}

  /// At the window's NUL: the next piece, unless this is the last. False at the real end.
  bool refill() {
    if (src_ != window->end() || window->last()) return false;
    const bool more = window->fill();
    src_ = dst_ = head_ = window->begin();  // a declined window is empty: the parser stops
    return more;
  }
  /// Whitespace, and the window's end between tokens.
  void skip_whitespace() {
    do {
      while (*src_ == ' ' || *src_ == '\n' || *src_ == '\r' || *src_ == '\t') ++src_;
    } while (*src_ == '\0' && refill());
  }
  /// The parser stopped at the end of the payload.
  bool at_end() const { return src_ == window->end() && window->last() && !window->declined(); }

  PayloadWindow* window;
  ValueBudget* budget;  ///< counts unpaired surrogate escapes kept as text
};

/// True when p holds a surrogate escape (\uD800-\uDFFF) that is not half of a pair: RapidJSON
/// would refuse it, so it is kept as its six characters and repaired by the handler. Reads
/// stop at the first character that does not fit (the string's closing quote at the latest).
inline bool unpaired_surrogate_escape(const char* p) noexcept {
  auto hex4 = [](const char* h) {
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hex_digit(h[i]);
      if (d < 0) return -1;
      v = v << 4 | d;
    }
    return v;
  };
  if (p[0] != '\\' || p[1] != 'u') return false;
  const int cp = hex4(p + 2);
  if (cp < 0xD800 || cp > 0xDFFF) return false;
  if (cp >= 0xDC00 || p[6] != '\\' || p[7] != 'u') return true;
  const int lo = hex4(p + 8);
  return lo < 0xDC00 || lo > 0xDFFF;
}

/// Parses a payload in place, window by window; false on anything but a clean end (the
/// caller then decodes on the streaming path, which reports the error).
template <class R, class Sink>
bool parse_in_place(PayloadWindow& window, const Profile& profile, DecodePolicy policy, Sink& sink) {
  ValueBudget budget{profile.max_value_bytes};  // values are whole: the handler checks lengths
  WindowStream stream(window, budget);
  PayloadHandler<R, Sink> handler(profile, policy, sink, budget);
  rapidjson::Reader reader;
  return !reader.Parse<kPayloadFlags | rapidjson::kParseInsituFlag>(stream, handler).IsError() && stream.at_end();
}

}  // namespace myna::internal

namespace rapidjson {

template <>
struct StreamTraits<myna::internal::WindowStream> {
  enum { copyOptimization = 1 };
};

// The parser skips whitespace before every token: the place to refill the window. The
// payload rarely has whitespace, so one comparison usually decides.
template <>
inline void SkipWhitespace(myna::internal::WindowStream& is) {
  if (static_cast<unsigned char>(*is.src_) > ' ') return;
  is.skip_whitespace();
}

// RapidJSON's hook for skipping plain string text ("optional optimisation"; its own versions
// need RAPIDJSON_SSE2/SSE42). Moves the plain bytes at src_ down to dst_ (in-situ unescaping
// shifts text once a string had an escape) and stops before '"', '\\' or a control byte.
// An unpaired surrogate escape is moved on as plain text (counted for the handler).
template <>
template <>
inline void GenericReader<UTF8<>, UTF8<>, CrtAllocator>::ScanCopyUnescapedString(myna::internal::WindowStream& is,
                                                                                 myna::internal::WindowStream&) {
  for (;;) {
    char* stop = myna::internal::find_special_padded(is.src_);
    const bool unpaired = *stop == '\\' && myna::internal::unpaired_surrogate_escape(stop);
    char* end = unpaired ? stop + 6 : stop;
    if (is.dst_ != is.src_) std::memmove(is.dst_, is.src_, static_cast<std::size_t>(end - is.src_));
    is.dst_ += end - is.src_;
    is.src_ = end;
    if (!unpaired) return;
    ++is.budget->unpaired_escapes;
  }
}

}  // namespace rapidjson
