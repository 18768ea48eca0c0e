// The buffer decoder's fast path (internal): the payload document in one writable, padded,
// NUL-terminated buffer, parsed in place by RapidJSON (in-situ: the handler gets strings where
// they lie, instead of copies made character by character into the parser's stack).
#pragma once

#include <algorithm>
#include <memory>
#include <string_view>

#include <rapidjson/reader.h>

#include "codec/byte_scan.hpp"

namespace myna::codec::detail {

class InsituText {
 public:
  /// Unescapes a JSON string body from p (after the opening quote) to the closing quote.
  /// False where PayloadStream stops early (end of input, bad escape, lone surrogate,
  /// control character) and for an escaped NUL, which would end the document there.
  bool unescape(const char* p, const char* end) {
    char* out = allocate(static_cast<std::size_t>(end - p));  // escapes only shrink
    for (;;) {
      copy_plain(p, end, out);
      if (p == end) return false;
      const char c = *p++;
      if (c == '"') break;
      if (c != '\\' || !unescape_one(p, end, out)) return false;
    }
    finish(out);
    after_ = p;
    return true;
  }

  /// A bare payload document, copied as it is.
  void copy(std::string_view text) { finish(std::copy(text.begin(), text.end(), allocate(text.size()))); }

  char* data() noexcept { return buf_.get(); }
  std::size_t size() const noexcept { return size_; }
  /// After unescape(): the input position after the closing quote.
  const char* after() const noexcept { return after_; }

 private:
  static constexpr std::size_t kPadding = 8;  // word loads past the last byte stay inside

  char* allocate(std::size_t max_size) {
    buf_.reset(new char[max_size + 1 + kPadding]);
    return buf_.get();
  }
  void finish(char* end) {
    size_ = static_cast<std::size_t>(end - buf_.get());
    std::memset(end, 0, 1 + kPadding);
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

  std::unique_ptr<char[]> buf_;
  std::size_t size_ = 0;
  const char* after_ = nullptr;
};

/// RapidJSON's in-situ stream over an InsituText: its own type, so that the reader scans
/// plain string text a word at a time (below) instead of a byte at a time.
struct InsituTextStream : rapidjson::InsituStringStream {
  explicit InsituTextStream(InsituText& text) : rapidjson::InsituStringStream(text.data()) {}
};

}  // namespace myna::codec::detail

namespace rapidjson {

template <>
struct StreamTraits<myna::codec::detail::InsituTextStream> {
  enum { copyOptimization = 1 };
};

// RapidJSON's hook for skipping plain string text ("optional optimisation"; its own versions
// need RAPIDJSON_SSE2/SSE42). Moves the plain bytes at src_ down to dst_ (in-situ unescaping
// shifts text once a string had an escape) and stops before '"', '\\' or a control byte.
template <>
template <>
inline void GenericReader<UTF8<>, UTF8<>, CrtAllocator>::ScanCopyUnescapedString(
    myna::codec::detail::InsituTextStream& is, myna::codec::detail::InsituTextStream&) {
  char* stop = myna::codec::detail::find_special_padded(is.src_);
  if (is.dst_ != is.src_) std::memmove(is.dst_, is.src_, static_cast<std::size_t>(stop - is.src_));
  is.dst_ += stop - is.src_;
  is.src_ = stop;
}

}  // namespace rapidjson
