// Numbers of the payload on the streaming path (internal). RapidJSON 1.1.0 refuses a number
// beyond a double's range (1e400, a 400-digit integer) as kParseErrorNumberTooBig even when
// it hands numbers on as text; RFC 8259 sets no such limit, and the record handler keeps a
// number as its text anyway. So the payload reader's number parser is replaced, for the
// payload stream and handler only, by one that checks the grammar alone: the same errors at
// the same offsets as RapidJSON's for malformed numbers, no limit on size.
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

template <class R>
using StreamingHandler = PayloadHandler<R, SinkRef<R>>;

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
