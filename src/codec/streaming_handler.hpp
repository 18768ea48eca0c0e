// The record handler as RapidJSON's streaming reader sees it (internal).
//  - One handler type per record type (the sink behind SinkRef), which
//  - can take over from the payload scanner at a checkpoint: the reader is then given a short
//    made-up prefix that opens the objects and arrays open there, whose events it swallows.
//  - Numbers: RapidJSON 1.1.0 refuses a number beyond a double's range (1e400, a 400-digit
//    integer) as kParseErrorNumberTooBig even when it hands numbers on as text; RFC 8259 sets
//    no such limit, and the handler keeps a number as its text anyway. The reader's number
//    parser is replaced, for this stream and handler only, by one that checks the grammar
//    alone: the same errors at the same offsets as RapidJSON's otherwise.
#pragma once

#include <string>

#include <rapidjson/reader.h>

#include "codec/json_streams.hpp"
#include "codec/payload_decoder.hpp"

namespace myna::internal {

/// A record sink behind one type, so that the streaming reader has one handler type per
/// record type (the number parser below is specialised for it).
template <class R>
class SinkRef {
 public:
  template <class Sink>
  explicit SinkRef(Sink& sink)
      : target_(&sink), call_([](void* target, R&& r) { return (*static_cast<Sink*>(target))(std::move(r)); }) {}
  Status operator()(R&& r) const { return call_(target_, std::move(r)); }

 private:
  void* target_;
  Status (*call_)(void*, R&&);
};

/// The handler of the streaming reader: the record handler, and the number of events still to
/// swallow (the made-up prefix of a take-over).
template <class R>
class StreamingHandler : public PayloadHandler<R, SinkRef<R>> {
  using Base = PayloadHandler<R, SinkRef<R>>;
  using Size = rapidjson::SizeType;

 public:
  using Base::Base;
  void swallow(std::size_t events) noexcept { swallow_ = events; }

  bool Null() { return swallowed() || Base::Null(); }
  bool Bool(bool b) { return swallowed() || Base::Bool(b); }
  bool Int(int i) { return swallowed() || Base::Int(i); }
  bool Uint(unsigned u) { return swallowed() || Base::Uint(u); }
  bool Int64(std::int64_t i) { return swallowed() || Base::Int64(i); }
  bool Uint64(std::uint64_t u) { return swallowed() || Base::Uint64(u); }
  bool Double(double d) { return swallowed() || Base::Double(d); }
  bool RawNumber(const char* s, Size n, bool copy) { return swallowed() || Base::RawNumber(s, n, copy); }
  bool String(const char* s, Size n, bool copy) { return swallowed() || Base::String(s, n, copy); }
  bool Key(const char* s, Size n, bool copy) { return swallowed() || Base::Key(s, n, copy); }
  bool StartObject() { return swallowed() || Base::StartObject(); }
  bool EndObject(Size n) { return swallowed() || Base::EndObject(n); }
  bool StartArray() { return swallowed() || Base::StartArray(); }
  bool EndArray(Size n) { return swallowed() || Base::EndArray(n); }

 private:
  bool swallowed() noexcept { return swallow_ > 0 && (--swallow_, true); }
  std::size_t swallow_ = 0;
};

/// RapidJSON's number grammar and error codes, without its range limit; the text goes to
/// the handler's RawNumber.
template <class Stream, class Handler>
void parse_number_text(Stream& is, Handler& handler, rapidjson::ParseResult& result) {
  const std::size_t start = is.Tell();
  std::string text;
  auto take = [&] { text += is.Take(); };
  auto digit = [&] { return is.Peek() >= '0' && is.Peek() <= '9'; };
  if (is.Peek() == '-') take();
  if (is.Peek() == '0') {
    take();
  } else if (digit()) {
    while (digit()) take();
  } else {
    return result.Set(rapidjson::kParseErrorValueInvalid, is.Tell());
  }
  if (is.Peek() == '.') {
    take();
    if (!digit()) return result.Set(rapidjson::kParseErrorNumberMissFraction, is.Tell());
    while (digit()) take();
  }
  if (is.Peek() == 'e' || is.Peek() == 'E') {
    take();
    if (is.Peek() == '+' || is.Peek() == '-') take();
    if (!digit()) return result.Set(rapidjson::kParseErrorNumberMissExponent, is.Tell());
    while (digit()) take();
  }
  if (!handler.RawNumber(text.data(), static_cast<rapidjson::SizeType>(text.size()), true))
    result.Set(rapidjson::kParseErrorTermination, start);
}

}  // namespace myna::internal

namespace rapidjson {

#define MYNA_PAYLOAD_NUMBER_PARSER(R)                                                                     \
  template <>                                                                                             \
  template <>                                                                                             \
  inline void GenericReader<UTF8<>, UTF8<>, CrtAllocator>::ParseNumber<                                   \
      myna::internal::kPayloadFlags, myna::internal::PayloadStream, myna::internal::StreamingHandler<R>>( \
      myna::internal::PayloadStream & is, myna::internal::StreamingHandler<R> & handler) {                \
    myna::internal::parse_number_text(is, handler, parseResult_);                                         \
  }

MYNA_PAYLOAD_NUMBER_PARSER(myna::DrugRecord)
MYNA_PAYLOAD_NUMBER_PARSER(myna::CheckupRecord)
MYNA_PAYLOAD_NUMBER_PARSER(myna::MedicalExpenseRecord)
#undef MYNA_PAYLOAD_NUMBER_PARSER

}  // namespace rapidjson
