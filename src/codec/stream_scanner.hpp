// The streaming decoder's payload reader (internal): the buffer path's scanner over a body that
// arrives in chunks, on bounded memory. Chunks are appended to a carry buffer; the scanner
// reads it to its end and stops there (need_more), and the carry then keeps only the text
// from the scanner's last checkpoint (the end of the last whole record) on: a record that
// spans chunks is read again whole once its end has arrived. Whatever the scanner does not
// read — broken structure, a value over the limit, an element larger than the carry may grow
// — RapidJSON's streaming reader takes over from the checkpoint with the same handler: it
// reports the error exactly as a reader from the start would, or reads on.
#pragma once

#include <algorithm>
#include <cassert>
#include <string>

#include "codec/json_streams.hpp"
#include "codec/payload_scanner.hpp"
#include "codec/streaming_handler.hpp"

namespace myna::internal {

/// The body as the take-over reader sees it: a made-up prefix that opens the objects and
/// arrays open at the checkpoint, the carried text from the checkpoint, then the rest of the
/// body from the original cursor.
class ResumedBody : public ByteSource {
 public:
  ResumedBody(std::string prefix, std::string_view carried, ByteCursor& rest)
      : prefix_(std::move(prefix)), carried_(carried), rest_(rest) {}

  Result<std::string_view> next() override {
    for (;;) {
      const Part part = part_;
      if (part == Part::rest) {
        rest_.p_ = rest_.end_;
        if (rest_.refill()) return std::string_view(rest_.p_, static_cast<std::size_t>(rest_.end_ - rest_.p_));
        if (rest_.source_error()) return *rest_.source_error();
        return std::string_view();
      }
      part_ = static_cast<Part>(static_cast<int>(part) + 1);
      const std::string_view text = part == Part::prefix ? std::string_view(prefix_) : carried_;
      if (!text.empty()) return text;
    }
  }
  /// The reader is in the original cursor's chunks (past the carried text).
  bool in_rest() const noexcept { return part_ == Part::rest; }

 private:
  enum class Part : std::uint8_t { prefix, carried, rest };
  std::string prefix_;
  std::string_view carried_;
  ByteCursor& rest_;
  Part part_ = Part::prefix;
};

template <class R>
class StreamScanner {
  using Scanner = PayloadScanner<PayloadHandler<R, SinkRef<R>>>;
  using Outcome = typename Scanner::Outcome;

 public:
  StreamScanner(ByteCursor& cursor, ValueBudget& budget, const Profile& profile, StreamingHandler<R>& handler)
      : cursor_(cursor),
        handler_(handler),
        scanner_(handler, budget, profile.max_value_bytes),
        limit_(std::max<std::size_t>(std::size_t{1} << 20, 4 * profile.max_value_bytes)) {}

  /// Reads the payload string from the cursor (just after its opening quote) to after its
  /// closing quote. read_from(ByteCursor&) runs the take-over reader.
  ///
  /// The scanner reads each chunk where it lies (direct) while no element spans a chunk's
  /// end; an element that does is carried: the text from the checkpoint on is copied, and
  /// the next chunk's text is appended piece by piece until the scanner has passed a
  /// checkpoint inside that chunk, where it reads on directly.
  template <class Reader>
  Status run(Reader read_from) {
    chunk_ = cursor_.p_;
    for (;;) {
      const char* begin = direct_ ? chunk_ : carry_.data();
      const char* end = direct_ ? cursor_.end_ : carry_.data() + carry_.size();
      switch (scanner_.run(begin, end, final_text())) {
        case Outcome::done: return finish(scanner_.after());
        case Outcome::failed:
          if (handler_.error()) return *handler_.error();
          return take_over(read_from);
        case Outcome::need_more: break;
      }
      handler_.restore(scanner_.checkpoint().handler);
      if (static_cast<std::size_t>(end - begin) - scanner_.checkpoint().offset > limit_) return take_over(read_from);
      if (direct_)
        carry_from_checkpoint();
      else if (!read_on_directly())
        carry_more();
    }
  }

 private:
  static constexpr std::size_t kPiece = 16 * 1024;  // the least text appended to the carry at once

  std::size_t chunk_size() const noexcept { return chunk_ ? static_cast<std::size_t>(cursor_.end_ - chunk_) : 0; }

  // The scanner's text may not continue: the current chunk is the last and all of it is read.
  bool final_text() const noexcept {
    if (!chunk_) return true;
    return !cursor_.may_continue() && (direct_ || taken_ == chunk_size());
  }

  // Direct → carried: the text from the checkpoint to the chunk's end, then more.
  void carry_from_checkpoint() {
    carry_.assign(chunk_ + scanner_.checkpoint().offset, cursor_.end_);
    scanner_.rebase();
    direct_ = false;
    chunk_at_ = carry_.size();
    taken_ = chunk_size();
    carry_more();
  }

  // Carried → direct, when the checkpoint lies in the current chunk's text.
  bool read_on_directly() {
    const std::size_t at = scanner_.checkpoint().offset;
    if (!chunk_ || at < chunk_at_) return false;
    scanner_.rebase(at - chunk_at_);
    carry_.clear();
    direct_ = true;
    return true;
  }

  // More text for the carry, from the checkpoint on: until the text to read again has
  // doubled (a record over many small chunks is scanned a bounded number of times), from the
  // rest of the current chunk, then from new chunks (at least some text, then only while the
  // string cannot have ended in the current chunk).
  void carry_more() {
    const std::size_t at = scanner_.checkpoint().offset;
    carry_.erase(0, at);
    chunk_at_ -= std::min(chunk_at_, at);
    scanner_.rebase();
    const std::size_t want = std::max(2 * carry_.size(), carry_.size() + kPiece);
    for (bool appended = false; carry_.size() < want && chunk_; appended = true) {
      if (taken_ == chunk_size() && ((appended && may_close(chunk_at_)) || !next_chunk())) return;
      const std::size_t piece = std::min(chunk_size() - taken_, want - carry_.size());
      carry_.append(chunk_ + taken_, piece);
      taken_ += piece;
    }
  }

  // The cursor's next chunk, its text not yet taken; false at the end of the body (or on a
  // source error), where the carry is read as final.
  bool next_chunk() {
    cursor_.p_ = cursor_.end_;
    if (!cursor_.refill()) {
      chunk_ = nullptr;
      chunk_at_ = carry_.size();
      return false;
    }
    chunk_ = cursor_.p_;
    chunk_at_ = carry_.size();
    taken_ = 0;
    return true;
  }

  // A '"' after an even run of backslashes, from carry offset `from` on: the envelope's
  // string may end there (the payload's own quotes arrive escaped).
  bool may_close(std::size_t from) const noexcept {
    for (std::size_t i = carry_.find('"', from); i != std::string::npos; i = carry_.find('"', i + 1)) {
      std::size_t k = i;
      while (k > 0 && carry_[k - 1] == '\\') --k;
      if ((i - k) % 2 == 0) return true;
    }
    return false;
  }

  // Moves the cursor to where the scanner stopped, which lies in the cursor's current chunk.
  Status finish(const char* at) {
    if (direct_) return cursor_.p_ = at, Status();
    const auto offset = static_cast<std::size_t>(at - carry_.data());
    if (offset < chunk_at_ || (chunk_ == nullptr && offset != chunk_at_)) return lost_place();
    cursor_.p_ = chunk_ == nullptr ? cursor_.p_ : chunk_ + (offset - chunk_at_);
    return {};
  }

  static Status lost_place() {
    assert(false && "the payload reader ended outside the current chunk");
    return Error(ErrorCategory::decode, "payload: internal: the streaming reader lost its place");
  }

  // RapidJSON's reader from the checkpoint on, with the handler as it was there.
  template <class Reader>
  Status take_over(Reader read_from) {
    if (!direct_ && chunk_) {  // the carry holds all of the current chunk's text
      carry_.append(chunk_ + taken_, chunk_size() - taken_);
      taken_ = chunk_size();
    }
    const auto& checkpoint = scanner_.checkpoint();
    handler_.restore(checkpoint.handler);
    std::string prefix;
    std::size_t events = 0;
    for (const char open : checkpoint.stack) {
      prefix += open == '[' ? "[" : "{\\\"\\\":";  // an array, or an object and a member's key
      events += open == '[' ? 1 : 2;
    }
    if (!checkpoint.stack.empty()) prefix += "null", ++events;  // the element before the checkpoint
    handler_.swallow(events);
    const std::string_view carried = direct_ ? std::string_view(chunk_, chunk_size()).substr(checkpoint.offset)
                                             : std::string_view(carry_).substr(checkpoint.offset);
    const std::uint64_t start = direct_ ? cursor_.offset_of(chunk_) + checkpoint.offset
                                        : cursor_.offset_of(chunk_) - chunk_at_ + checkpoint.offset;
    ResumedBody body(prefix, carried, cursor_);
    ByteCursor resumed(body, start - prefix.size());
    Status st = read_from(resumed);
    if (!st) return st;
    if (body.in_rest()) return cursor_.p_ = resumed.p_, Status();
    return finish(resumed.p_);
  }

  ByteCursor& cursor_;
  StreamingHandler<R>& handler_;
  Scanner scanner_;
  std::size_t limit_;            // the carry's bound: an element larger than this is taken over
  bool direct_ = true;           // the scanner reads the current chunk where it lies
  std::string carry_;            // carried: the payload text from the checkpoint on
  const char* chunk_ = nullptr;  // the cursor's current chunk (null: the body has ended)
  std::size_t chunk_at_ = 0;     // carried: where the current chunk's text begins in carry_
  std::size_t taken_ = 0;        // carried: how much of the current chunk carry_ holds
};

}  // namespace myna::internal
