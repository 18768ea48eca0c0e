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
  template <class Reader>
  Status run(Reader read_from) {
    take_chunk();
    for (;;) {
      switch (scanner_.run(carry_.data(), carry_.data() + carry_.size(), !cursor_.may_continue())) {
        case Outcome::done: return finish(scanner_.after() - carry_.data());
        case Outcome::failed:
          if (handler_.error()) return *handler_.error();
          return take_over(read_from);
        case Outcome::need_more: break;
      }
      handler_.restore(scanner_.checkpoint().handler);
      if (carry_.size() - scanner_.checkpoint().offset > limit_) return take_over(read_from);
      carry_.erase(0, scanner_.checkpoint().offset);
      scanner_.rebase();
      // Read on once the text to read again has doubled (or the string may end): a record
      // over many small chunks is scanned a bounded number of times.
      const std::size_t want = 2 * carry_.size();
      do {
        cursor_.p_ = cursor_.end_;
        if (!cursor_.refill()) {  // the end of the body (or a source error): read as final
          chunk_at_ = carry_.size(), chunk_ = nullptr;
          break;
        }
        take_chunk();
      } while (carry_.size() < want && !may_close(chunk_at_));
    }
  }

 private:
  // Appends the unread rest of the cursor's chunk to the carry.
  void take_chunk() {
    chunk_at_ = carry_.size();
    chunk_ = cursor_.p_;
    carry_.append(cursor_.p_, cursor_.end_);
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

  // Moves the cursor to the carry position `at`, which lies in the cursor's current chunk.
  Status finish(std::ptrdiff_t at) {
    const auto chunk_at = static_cast<std::ptrdiff_t>(chunk_at_);
    if (at < chunk_at || (chunk_ == nullptr && at != chunk_at)) return lost_place();
    cursor_.p_ = chunk_ == nullptr ? cursor_.p_ : chunk_ + (at - chunk_at);
    return {};
  }

  static Status lost_place() {
    assert(false && "the payload reader ended outside the current chunk");
    return Error(ErrorCategory::decode, "payload: internal: the streaming reader lost its place");
  }

  // RapidJSON's reader from the checkpoint on, with the handler as it was there.
  template <class Reader>
  Status take_over(Reader read_from) {
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
    const std::string_view carried = std::string_view(carry_).substr(checkpoint.offset);
    const std::uint64_t start = cursor_.offset_of(chunk_) - chunk_at_ + checkpoint.offset;
    ResumedBody body(prefix, carried, cursor_);
    ByteCursor resumed(body, start - prefix.size());
    Status st = read_from(resumed);
    if (!st) return st;
    if (body.in_rest()) return cursor_.p_ = resumed.p_, Status();
    return finish(resumed.p_ - carry_.data());
  }

  ByteCursor& cursor_;
  StreamingHandler<R>& handler_;
  Scanner scanner_;
  std::size_t limit_;         // the carry's bound: an element larger than this is taken over
  std::string carry_;         // the payload text from the checkpoint on
  std::size_t chunk_at_ = 0;  // where the cursor's current chunk begins in carry_
  const char* chunk_ = nullptr;
};

}  // namespace myna::internal
