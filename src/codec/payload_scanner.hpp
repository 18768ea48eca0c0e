// The buffer decoder's payload parser (internal): one pass over the payload where it lies,
// still escaped inside the envelope's JSON string, feeding the record handler directly. A
// string without escapes (nearly every key and value) reaches the handler as a view into
// the telegram: nothing is unescaped or copied. Strings with escapes, numbers and literals
// are decoded into a scratch buffer. The whole JSON grammar is accepted (any nesting, numbers
// of any size and length); anything else — broken structure, what the handler refuses, a
// strict-mode issue — only makes run() return false: the caller then decodes the body on the
// streaming path, which reports the error (one source of error texts and locations).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "codec/escaped_text.hpp"
#include "codec/payload_decoder.hpp"

namespace myna::internal {

/// True for the text of a JSON number (RFC 8259: any number of digits, any exponent).
inline bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

/// Scans a payload for a record handler (PayloadHandler). Over a body held whole (final
/// text) it reads to the end; over text that ends where a chunk ended, it stops with
/// need_more when it reaches that end, and remembers the last place between records
/// (checkpoint) to read on from once more text is there.
template <class Handler>
class PayloadScanner {
 public:
  enum class Outcome : std::uint8_t { done, failed, need_more };
  /// A place to read on from: the text offset (from the text's start), the open objects and
  /// arrays, and the handler's state there.
  struct Checkpoint {
    std::size_t offset = 0;
    std::vector<char> stack;
    typename Handler::Checkpoint handler;
  };

  PayloadScanner(Handler& handler, ValueBudget& budget, std::size_t max_value)
      : max_value_(max_value), budget_(budget), handler_(handler), checkpoint_{0, {}, handler.checkpoint()} {}

  /// Reads [begin, end) from the checkpoint (whose offset counts from begin) on; final: the
  /// text may not continue after end. done: the payload is whole, after() is past its closing
  /// quote; failed: it is not valid here (handler error, syntax, limits); need_more: the text
  /// ended first (only when not final; the handler must then be restored to the checkpoint).
  Outcome run(const char* begin, const char* end, bool final) {
    begin_ = begin, p_ = begin + checkpoint_.offset, end_ = end, final_ = final;
    stack_ = checkpoint_.stack;
    const bool ok = scan();
    if (ok) return Outcome::done;
    return !final_ && !handler_.error() && end_ - p_ < kLookahead ? Outcome::need_more : Outcome::failed;
  }
  /// After done: the position after the embedded string's closing quote.
  const char* after() const noexcept { return p_; }
  const Checkpoint& checkpoint() const noexcept { return checkpoint_; }
  /// The checkpoint is now at offset of the text the next run() reads (0: the text before
  /// it is gone).
  void rebase(std::size_t offset = 0) noexcept { checkpoint_.offset = offset; }

 private:
  // Bytes one payload character may take at most (a surrogate pair escape): a read that
  // failed for want of text stopped at most this far before its end.
  static constexpr std::ptrdiff_t kLookahead = 16;

  bool scan() {
    if (stack_.empty() && !value(token())) return false;
    while (!stack_.empty()) {
      const bool object = stack_.back() == '{';
      if (object && end_ - p_ >= 3 && p_[0] == ',' && p_[1] == '\\' && p_[2] == '"') {  // the usual `,"`
        p_ += 3;
        if (!member('"')) return false;
        continue;
      }
      const int c = token();
      if (c == ',') {
        if (!(object ? member(token()) : value(token()))) return false;
      } else if (c == (object ? '}' : ']')) {
        stack_.pop_back();
        if (!(object ? handler_.EndObject(0) : handler_.EndArray(0)) || !closed()) return false;
      } else {
        return false;
      }
    }
    if (token() != kEnd) return false;
    ++p_;  // the closing quote of the envelope's string
    return true;
  }

  // After an object or array closed (a record was delivered, perhaps): a checkpoint when
  // reading text that continues and the handler is between records.
  bool closed() {
    if (final_) return sample_size(), true;
    if (!stack_.empty() && handler_.resumable()) save_checkpoint();
    return true;
  }

  // Over a body held whole, after 16, 64, 256, ... objects: how far the handler has read, so
  // that it may size its storage for the rest.
  void sample_size() {
    if (++closed_ < next_sample_) return;
    next_sample_ *= 4;
    handler_.size_hint(static_cast<std::size_t>(p_ - begin_), static_cast<std::size_t>(end_ - begin_));
  }
  std::size_t closed_ = 0, next_sample_ = 16;

  void save_checkpoint() {
    checkpoint_.offset = static_cast<std::size_t>(p_ - begin_);
    if (checkpoint_.stack.size() != stack_.size() ||
        !std::equal(stack_.begin(), stack_.end(), checkpoint_.stack.begin()))
      checkpoint_.stack = stack_;
    checkpoint_.handler = handler_.checkpoint();
  }

  static constexpr int kEnd = 256;  // token(): the embedded string ends here
  using Size = rapidjson::SizeType;

  static bool is_space(int c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

  // The next payload character that is not whitespace: a byte, kEnd, or -1 (error).
  int token() noexcept {
    for (;;) {
      if (p_ == end_) return -1;
      const auto c = static_cast<unsigned char>(*p_);
      if (c > ' ' && c != '\\' && c != '"') return ++p_, c;
      if (c == ' ') {
        ++p_;
        continue;
      }
      if (c == '\\' && end_ - p_ >= 2 && p_[1] == '"') return p_ += 2, '"';
      if (c == '"') return kEnd;
      const int b = take_byte(p_, end_);
      if (!is_space(b)) return b;
    }
  }

  // A value whose first character c has been taken. Objects and arrays recurse for their
  // first element only (the handler refuses nesting beyond max_depth before that).
  bool value(int c) {
    switch (c) {
      case '"': return string(false);
      case '{': {
        if (!handler_.StartObject()) return false;
        const int next = token();
        if (next == '}') return handler_.EndObject(0) && closed();
        stack_.push_back('{');
        return member(next);
      }
      case '[': {
        if (!handler_.StartArray()) return false;
        const char* at = p_;
        if (token() == ']') return handler_.EndArray(0) && closed();
        p_ = at;
        stack_.push_back('[');
        return value(token());
      }
      case 't': return literal("rue") && handler_.Bool(true);
      case 'f': return literal("alse") && handler_.Bool(false);
      case 'n': return literal("ull") && handler_.Null();
      default: return (c == '-' || (c >= '0' && c <= '9')) && number(c);
    }
  }

  // A member of an object: c is the character before its key. The members that follow
  // while each is an expected item (below) are taken here too.
  bool member(int c) {
    if (c != '"') return false;
    for (;;) {
      const Taken taken = expected_item();
      if (taken == Taken::no) return key_and_value();
      if (taken == Taken::failed) return false;
      if (!(end_ - p_ >= 3 && p_[0] == ',' && p_[1] == '\\' && p_[2] == '"')) return true;
      p_ += 3;
    }
  }

  enum class Taken : std::uint8_t { no, yes, failed };

  // After a key's opening quote: `KEY\":\"VALUE\"`, a key the handler expects and a value
  // without escapes (nearly every member of a record), taken whole. no: nothing was taken.
  Taken expected_item() {
    const auto room = static_cast<std::size_t>(end_ - p_);
    for (std::size_t guess = 0; guess < Handler::kGuesses; ++guess) {
      const std::string_view wire = handler_.expected_item(guess);
      if (wire.empty() || room < wire.size() + kBlock) return Taken::no;
      if (same_bytes(p_, wire.data(), wire.size())) return item_value(guess, p_ + wire.size());
    }
    return Taken::no;
  }

  // The value of the item of guess, at value: plain text up to `\"`.
  Taken item_value(std::size_t guess, const char* value) {
    const char* stop = find_special(value, end_);
    const auto size = static_cast<std::size_t>(stop - value);
    if (end_ - stop < 2 || stop[0] != '\\' || stop[1] != '"' || size > max_value_) return Taken::no;
    p_ = stop + 2;
    return handler_.ExpectedItem(guess, value, size) ? Taken::yes : Taken::failed;
  }

  // A member after its key's opening quote, whatever its form.
  bool key_and_value() {
    const bool item = expected_key();
    if (!item && !string(true)) return false;
    if (end_ - p_ >= 3 && p_[0] == ':' && p_[1] == '\\' && p_[2] == '"') {  // the usual `:"`
      p_ += 3;
      return item ? item_string() : string(false);
    }
    return token() == ':' && value(token());
  }

  // A key after its opening quote. Records repeat their keys in the same order: the key the
  // handler expects most, with its closing quote (its wire form without the `:"` after it), is
  // compared with the wire bytes first (catalog keys hold no '"', '\\' or control character,
  // so equal bytes are that key). True when it was that key (taken by the handler).
  bool expected_key() {
    const std::string_view wire = handler_.expected_item(0);
    if (wire.empty()) return false;
    const std::size_t n = wire.size() - kAfterKey;
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, wire.data(), n) != 0) return false;
    p_ += n;
    handler_.ExpectedKey();
    return true;
  }
  static constexpr std::size_t kAfterKey = 3;  // `:"` of a wire form, the quote escaped

  // The string value of the record item whose key was just taken: without escapes straight
  // to the item.
  bool item_string() {
    const char* start = p_;
    const char* stop = find_special(p_, end_);
    const auto n = static_cast<std::size_t>(stop - start);
    if (end_ - stop >= 2 && stop[0] == '\\' && stop[1] == '"' && n <= max_value_) {
      p_ = stop + 2;
      return handler_.ItemString(start, n);
    }
    p_ = stop;
    scratch_.assign(start, stop);
    return escaped_string(false);
  }

  bool literal(const char* rest) noexcept {
    for (; *rest; ++rest)
      if (take_byte(p_, end_) != *rest) return false;
    return true;
  }

  static bool is_number_char(int c) noexcept {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  // A number as its text, whatever its size (RapidJSON would refuse one beyond a double).
  bool number(int first) {
    scratch_.assign(1, static_cast<char>(first));
    for (;;) {
      const char* at = p_;
      const int c = take_byte(p_, end_);
      if (!is_number_char(c)) {
        p_ = at;
        if (c < 0 && !final_ && end_ - at < kLookahead) return false;  // the number may go on
        break;
      }
      if (scratch_.size() >= max_value_) return false;
      scratch_ += static_cast<char>(c);
    }
    return is_json_number(scratch_) && handler_.RawNumber(scratch_.data(), static_cast<Size>(scratch_.size()), false);
  }

  // A string after its opening quote: a view into the body when it has no escape.
  bool string(bool key) {
    const char* start = p_;
    const char* stop = find_special(p_, end_);
    if (end_ - stop >= 2 && stop[0] == '\\' && stop[1] == '"') {
      p_ = stop + 2;
      return emit(key, start, static_cast<std::size_t>(stop - start), 0);
    }
    p_ = stop;
    scratch_.assign(start, stop);
    return escaped_string(key);
  }

  bool emit(bool key, const char* s, std::size_t n, std::uint32_t unpaired) {
    if (n > max_value_) return false;
    budget_.unpaired_escapes = unpaired;
    return key ? handler_.Key(s, static_cast<Size>(n), false) : handler_.String(s, static_cast<Size>(n), false);
  }

  // The rest of a string with escapes, unescaped twice (the envelope's, then the payload's)
  // into scratch_. Unpaired surrogate escapes stay text, counted for the handler.
  bool escaped_string(bool key) {
    std::uint32_t unpaired = 0;
    char unit[4];
    for (;;) {
      const char* stop = find_special(p_, end_);
      scratch_.append(p_, stop);
      p_ = stop;
      if (scratch_.size() > max_value_) return false;
      const int n = take_unit(p_, end_, unit);
      if (n <= 0) return false;
      if (n > 1) {
        scratch_.append(unit, static_cast<std::size_t>(n));
      } else if (unit[0] == '"') {
        return emit(key, scratch_.data(), scratch_.size(), unpaired);
      } else if (unit[0] == '\\') {
        if (!inner_escape(unpaired)) return false;
      } else if (static_cast<unsigned char>(unit[0]) < 0x20) {
        return false;
      } else {
        scratch_ += unit[0];
      }
    }
  }

  // One escape of the payload's own string, after its backslash.
  bool inner_escape(std::uint32_t& unpaired) {
    switch (take_byte(p_, end_)) {
      case '"': return scratch_ += '"', true;
      case '\\': return scratch_ += '\\', true;
      case '/': return scratch_ += '/', true;
      case 'b': return scratch_ += '\b', true;
      case 'f': return scratch_ += '\f', true;
      case 'n': return scratch_ += '\n', true;
      case 'r': return scratch_ += '\r', true;
      case 't': return scratch_ += '\t', true;
      case 'u': return inner_unicode(unpaired);
      default: return false;
    }
  }

  int inner_hex4(char* digits) noexcept {
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      const int c = take_byte(p_, end_);
      const int d = c < 0 ? -1 : hex_digit(static_cast<char>(c));
      if (d < 0) return -1;
      digits[i] = static_cast<char>(c);
      v = v << 4 | d;
    }
    return v;
  }

  // \uXXXX of the payload: a code point, a surrogate pair, or an unpaired surrogate kept as
  // its six characters (what the other paths hand the handler).
  bool inner_unicode(std::uint32_t& unpaired) {
    char hex[4], lo_hex[4], utf8[4];
    int cp = inner_hex4(hex);
    if (cp < 0) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const char* before = p_;
      const int lo = take_byte(p_, end_) == '\\' && take_byte(p_, end_) == 'u' ? inner_hex4(lo_hex) : -1;
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      } else {
        p_ = before;
        cp = -1;
      }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      cp = -1;
    }
    if (cp < 0) {
      ++unpaired;
      scratch_ += "\\u";
      scratch_.append(hex, 4);
      return true;
    }
    scratch_.append(utf8, encode_utf8(static_cast<unsigned>(cp), utf8));
    return true;
  }

  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool final_ = true;
  std::size_t max_value_;
  ValueBudget& budget_;
  Handler& handler_;
  std::vector<char> stack_;  // the open objects and arrays after the first element of each
  std::string scratch_;
  Checkpoint checkpoint_;
};

/// Decodes the payload string of a body held whole, [raw, end) from after its opening quote;
/// the position after its closing quote, or null when it is not decoded whole (the caller
/// then decodes on the streaming path, which reports the error).
template <class R, class Sink>
const char* scan_payload(const char* raw, const char* end, const Profile& profile, DecodePolicy policy, Sink& sink) {
  ValueBudget budget{profile.max_value_bytes};
  PayloadHandler<R, Sink> handler(profile, policy, sink, budget);
  PayloadScanner<PayloadHandler<R, Sink>> scanner(handler, budget, profile.max_value_bytes);
  using Outcome = typename PayloadScanner<PayloadHandler<R, Sink>>::Outcome;
  return scanner.run(raw, end, true) == Outcome::done ? scanner.after() : nullptr;
}

}  // namespace myna::internal
