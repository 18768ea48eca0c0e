// RapidJSON input streams over a body that arrives in one buffer or in chunks.
//  - ByteCursor: the raw bytes, refilled chunk by chunk, with an absolute offset.
//  - OuterStream: the envelope JSON; it can re-inject a few bytes after the payload was
//    consumed by the payload parser, so the envelope parser sees `"selfPersonalData":""`.
//  - PayloadStream: the body of the embedded JSON string, unescaped on the fly; Peek()
//    returns '\0' at the closing quote, which the inner parser takes as the end of input.
// Internal header (RapidJSON types stay out of the public headers).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "myna/codec/payload.hpp"

namespace myna::internal {

/// Bytes a JSON string body holds as they are: not '"', not '\\', not a control character.
inline constexpr auto kPlainStringByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 256; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

/// Value of a hexadecimal digit, -1 for any other character.
inline int hex_digit(char h) noexcept {
  if (h >= '0' && h <= '9') return h - '0';
  if (h >= 'a' && h <= 'f') return h - 'a' + 10;
  if (h >= 'A' && h <= 'F') return h - 'A' + 10;
  return -1;
}

/// Writes the UTF-8 encoding of a code point (< 0x110000); returns its length (1-4).
inline std::uint8_t encode_utf8(unsigned cp, char* out) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

/// Raw bytes of the body, from one buffer or pulled from a ByteSource.
class ByteCursor {
 public:
  explicit ByteCursor(std::string_view whole) : p_(whole.data()), end_(whole.data() + whole.size()) {}
  /// offset: the body offset of the source's first byte (a source that resumes a body).
  explicit ByteCursor(ByteSource& source, std::uint64_t offset = 0) : source_(&source), consumed_before_(offset) {}

  /// Makes at least one byte available; false at the end of the body or on a source error.
  bool refill() {
    if (p_ != end_) return true;
    consumed_before_ += static_cast<std::uint64_t>(end_ - begin_);
    begin_ = p_ = end_ = nullptr;
    while (source_ && !source_error_) {
      auto chunk = source_->next();
      if (!chunk) {
        source_error_ = std::move(chunk).error();
        break;
      }
      if (chunk->empty()) {
        source_ = nullptr;
        break;
      }
      begin_ = p_ = chunk->data();
      end_ = p_ + chunk->size();
      return true;
    }
    return false;
  }

  std::uint64_t offset() const noexcept { return offset_of(p_); }
  /// More chunks may follow the current one.
  bool may_continue() const noexcept { return source_ != nullptr && !source_error_; }
  /// Size of the current chunk (the whole body for a buffer).
  std::size_t chunk_size() const noexcept { return static_cast<std::size_t>(end_ - begin_); }
  /// Absolute offset of a position inside the current chunk.
  std::uint64_t offset_of(const char* position) const noexcept {
    return consumed_before_ + static_cast<std::uint64_t>(position - begin_);
  }
  const std::optional<Error>& source_error() const noexcept { return source_error_; }

  const char* p_ = nullptr;
  const char* end_ = nullptr;

 private:
  ByteSource* source_ = nullptr;
  const char* begin_ = p_;
  std::uint64_t consumed_before_ = 0;
  std::optional<Error> source_error_;
};

/// Bounds one value (string, number, key) on bounded memory: the parser would otherwise
/// buffer a huge value whole. Streams charge each chunk they have read through since the last
/// parser event (reset by the handlers), except the chunk that event happened in: the count
/// runs at most two chunks short of the value's length and never over it, so a chunk larger
/// than the limit that holds small values is fine. Handlers also check each value's length,
/// which is exact for a body held in one buffer.
struct ValueBudget {
  std::size_t limit;
  std::size_t used = 0;
  bool reset_pending = false;
  bool exceeded = false;
  /// Unpaired surrogate escapes the stream kept as text (\ud800) in the current string:
  /// set by the streams, read and reset by the handler at the string's event.
  std::uint32_t unpaired_escapes = 0;
  void reset() noexcept { reset_pending = true; }
  /// Charges a chunk read through; false when the current value is over the limit.
  bool charge(std::size_t bytes) noexcept {
    used = reset_pending ? 0 : used + bytes;
    reset_pending = false;
    if (used > limit) exceeded = true;
    return !exceeded;
  }
};

/// The message of a value over the limit, the same from every path.
inline std::string value_too_long_message(std::size_t limit) {
  return "a value is longer than the limit (max_value_bytes = " + std::to_string(limit) + ")";
}

/// The envelope: a RapidJSON stream over the cursor, with a small injection buffer.
class OuterStream {
 public:
  typedef char Ch;
  OuterStream(ByteCursor& cursor, ValueBudget& budget) : c_(cursor), budget_(budget) {}

  Ch Peek() {
    if (inject_pos_ < inject_.size()) return inject_[inject_pos_];
    if (c_.p_ == c_.end_ && !refill()) return '\0';
    return *c_.p_;
  }
  Ch Take() {
    Ch ch = Peek();
    if (inject_pos_ < inject_.size())
      ++inject_pos_;
    else if (ch != '\0')
      ++c_.p_;
    return ch;
  }
  std::size_t Tell() const { return static_cast<std::size_t>(c_.offset()); }

  /// Bytes the envelope parser will read next, before the cursor resumes.
  void inject(std::string_view bytes) {
    inject_.assign(bytes);
    inject_pos_ = 0;
  }
  ByteCursor& cursor() { return c_; }

  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  bool refill() {
    const std::size_t read = c_.chunk_size();
    if (!c_.refill()) return false;
    if (budget_.charge(read)) return true;
    c_.p_ = c_.end_;  // stop here: the value is too long
    return false;
  }

  ByteCursor& c_;
  ValueBudget& budget_;
  std::string inject_;
  std::size_t inject_pos_ = 0;
};

/// The embedded payload: unescapes the JSON string body as the inner parser reads it. An
/// unpaired surrogate escape of the inner document (\ud800 without its pair, which RapidJSON
/// rejects) is handed on as text: its backslash escaped (\\ud800), counted in the budget
/// for the handler, which repairs the value.
class PayloadStream {
 public:
  typedef char Ch;
  enum class End : std::uint8_t { none, closed, truncated, bad_escape, control_char, too_long };

  PayloadStream(ByteCursor& cursor, ValueBudget& budget) : c_(cursor), budget_(budget) {
    p_ = c_.p_;
    end_ = c_.end_;
    advance();
  }

  Ch Peek() const { return cur_; }
  Ch Take() {
    const Ch ch = cur_;
    if (ch == '\0') return ch;
    // Fast path: a plain byte of the string body (no escape, no quote, no control character).
    if (p_ != end_ && qh_ == qt_ && kPlainStringByte[static_cast<unsigned char>(*p_)]) {
      cur_ = *p_++;
      from_queue_ = false;
      return ch;
    }
    advance();
    return ch;
  }
  /// Body offset after the current character (read-ahead of an inner escape not counted).
  std::size_t Tell() const { return static_cast<std::size_t>(from_queue_ ? q_end_[qh_ - 1] : c_.offset_of(p_)); }

  End end() const noexcept { return end_state_; }
  /// Hands the position back to the cursor (after the closing quote).
  void sync() { c_.p_ = p_; }

  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  void stop(End why) {
    cur_ = '\0';
    if (end_state_ == End::none) end_state_ = why;
  }

  bool more() {
    if (p_ != end_) return true;
    c_.p_ = p_;
    const std::size_t read = c_.chunk_size();
    if (!c_.refill()) {
      p_ = end_ = c_.p_;  // the old chunk is gone: Tell() is now the body's length
      return false;
    }
    p_ = c_.p_;
    end_ = c_.end_;
    if (budget_.charge(read)) return true;
    p_ = end_;
    if (end_state_ == End::none) end_state_ = End::too_long;
    return false;
  }

  void advance() {
    if (qh_ < qt_) return pop();
    from_queue_ = false;
    if (end_state_ != End::none) return stop(end_state_);
    if (p_ == end_ && !more()) return stop(End::truncated);  // keeps too_long when set
    const char ch = *p_++;
    const auto u = static_cast<unsigned char>(ch);
    from_queue_ = false;
    if (u >= 0x20 && ch != '\\' && ch != '"') {
      cur_ = ch;
      return;
    }
    if (ch == '"') return stop(End::closed);
    if (ch != '\\') return stop(End::control_char);
    qh_ = qt_ = qx_ = 0;
    if (!unescape()) return stop(end_state_);
    pop();
  }

  // The next inner character from the queue; an inner backslash not yet looked at starts an
  // escape, which is examined whole first.
  void pop() {
    if (qh_ == qx_) {
      if (q_[qh_] == '\\')
        examine_escape();
      else
        ++qx_;
    }
    cur_ = q_[qh_++];
    from_queue_ = true;
  }

  // After an outer backslash: one escape of the outer string, appended to the queue.
  bool unescape() {
    if (p_ == end_ && !more()) return fail(End::truncated);
    const char e = *p_++;
    switch (e) {
      case '"': return push('"');
      case '\\': return push('\\');
      case '/': return push('/');
      case 'b': return push('\b');
      case 'f': return push('\f');
      case 'n': return push('\n');
      case 'r': return push('\r');
      case 't': return push('\t');
      case 'u': return unicode();
      default: return fail(End::bad_escape);
    }
  }

  // One outer unit (plain byte or escape) appended to the queue; false at the end of the
  // string or on an error (end_state_ says which; the queue keeps what it has).
  bool outer_unit() {
    if (end_state_ != End::none) return false;
    if (p_ == end_ && !more()) return fail(End::truncated);
    const char ch = *p_++;
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != '\\' && ch != '"') return push(ch);
    if (ch == '"') return fail(End::closed);
    if (ch == '\\') return unescape();
    return fail(End::control_char);
  }

  bool need(std::size_t n) {
    while (qt_ < n)
      if (!outer_unit()) return false;
    return true;
  }

  static int hex4_at(const char* s) noexcept {
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_digit(s[i]);
      if (digit < 0) return -1;
      v = v << 4 | digit;
    }
    return v;
  }

  // The inner escape at the queue's head. A surrogate escape without its pair is made text.
  void examine_escape() {
    if (qh_ > 0) {  // keep room: move the unread rest to the front
      std::memmove(q_, q_ + qh_, qt_ - qh_);
      std::memmove(q_end_, q_end_ + qh_, (qt_ - qh_) * sizeof q_end_[0]);
      qt_ = static_cast<std::uint8_t>(qt_ - qh_), qx_ = static_cast<std::uint8_t>(qx_ - qh_), qh_ = 0;
    }
    qx_ = static_cast<std::uint8_t>(need(2) && q_[1] == 'u' ? 6 : 2);
    if (qx_ == 2 || !need(6)) return void(qx_ = std::min(qx_, qt_));
    const int cp = hex4_at(q_ + 2);
    if (cp < 0xD800 || cp > 0xDFFF) return;
    if (cp <= 0xDBFF && need(12) && q_[6] == '\\' && q_[7] == 'u') {
      const int lo = hex4_at(q_ + 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) return void(qx_ = 12);
    }
    std::memmove(q_ + 1, q_, qt_);
    std::memmove(q_end_ + 1, q_end_, qt_ * sizeof q_end_[0]);
    ++qt_;
    qx_ = 7;  // "\\" + "ud800": an escaped backslash, then plain text
    ++budget_.unpaired_escapes;
  }

  bool push(char c) {
    q_end_[qt_] = c_.offset_of(p_);
    q_[qt_++] = c;
    return true;
  }
  // The string ends here (closing quote, error): end_ = p_ keeps Take's fast path off the
  // bytes after it, and sync() still hands on the position after the closing quote.
  bool fail(End why) {
    if (end_state_ == End::none) end_state_ = why;
    end_ = p_;
    return false;
  }

  bool unicode() {
    char hex[4];
    for (char& h : hex) {
      if (p_ == end_ && !more()) return fail(End::truncated);
      h = *p_++;
    }
    int cp = hex4_at(hex);
    if (cp < 0) return fail(End::bad_escape);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      char pair[6];
      for (char& h : pair) {
        if (p_ == end_ && !more()) return fail(End::truncated);
        h = *p_++;
      }
      const int lo = pair[0] == '\\' && pair[1] == 'u' ? hex4_at(pair + 2) : -1;
      if (lo < 0xDC00 || lo > 0xDFFF) return fail(End::bad_escape);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return fail(End::bad_escape);
    }
    char bytes[4];
    const std::uint8_t n = internal::encode_utf8(static_cast<unsigned>(cp), bytes);
    for (std::uint8_t i = 0; i < n; ++i) push(bytes[i]);
    return true;
  }

  ByteCursor& c_;
  ValueBudget& budget_;
  const char* p_;
  const char* end_;
  Ch cur_ = '\0';
  End end_state_ = End::none;
  // Inner characters from escapes, read ahead while an inner escape is examined: head, tail,
  // and the end of what has been examined.
  char q_[32] = {};
  std::uint64_t q_end_[32] = {};  ///< body offset after the outer text of each queued character
  std::uint8_t qh_ = 0, qt_ = 0, qx_ = 0;
  bool from_queue_ = false;
};

}  // namespace myna::internal
