#include "myna/codec/payload.hpp"

#include <cassert>
#include <cstring>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include "codec/decode_unchecked.hpp"
#include "codec/envelope_parser.hpp"
#include "codec/payload_decoder.hpp"
#include "codec/payload_scanner.hpp"
#include "codec/stream_scanner.hpp"
#include "codec/streaming_handler.hpp"
#include "codec/wire_text.hpp"
#include "internal/json_string.hpp"
#include "internal/utf8.hpp"

namespace myna::internal {

// RapidJSON's streaming reader over the embedded string from the cursor on (after its opening
// quote, or at a take-over's made-up prefix), for the handler.
template <class R>
Status read_payload(ByteCursor& cursor, ValueBudget& budget, const Profile& profile, StreamingHandler<R>& handler) {
  PayloadStream stream(cursor, budget);
  rapidjson::Reader reader;
  rapidjson::ParseResult ok = reader.Parse<kPayloadFlags>(stream, handler);
  if (handler.error()) return *handler.error();
  if (stream.end() == PayloadStream::End::too_long && !cursor.source_error()) return handler.too_long_error();
  if (!ok || stream.end() != PayloadStream::End::closed) {
    Error e = payload_syntax_error(ok ? "unexpected NUL character" : rapidjson::GetParseError_En(ok.Code()),
                                   ok ? stream.Tell() : ok.Offset(), stream.end(), cursor, profile.max_value_bytes);
    if (e.category() == ErrorCategory::decode && handler.record_index() >= 0) {
      DecodeLocation loc = *e.location();
      loc.record_type = std::string(japanese_name(RecordTraits<R>::type));
      loc.record_index = handler.record_index();
      std::string where = loc.record_type + " record #" + std::to_string(loc.record_index);
      if (handler.in_record() && handler.current_field() >= 0) {
        const FieldInfo& f = RecordTraits<R>::catalog[static_cast<std::size_t>(handler.current_field())];
        loc.item_number = f.number;
        loc.item_name = std::string(f.ja);
        where += ", item " + std::to_string(f.number) + " " + loc.item_name;
      }
      e = Error(ErrorCategory::decode, where + ": " + e.message()).with_location(std::move(loc));
    }
    return e;
  }
  stream.sync();
  return {};
}

// The embedded string on bounded memory; the cursor is just after its opening quote. The
// payload scanner reads it chunk by chunk; RapidJSON's reader takes over where it cannot (and
// reads all of it for the reference decoder, scan = false).
template <class R, class Sink>
Status parse_payload(ByteCursor& cursor, ValueBudget& budget, const Profile& profile, DecodePolicy policy, Sink& sink,
                     bool scan = true) {
  SinkRef<R> records(sink);
  StreamingHandler<R> handler(profile, policy, records, budget);
  auto reader = [&](ByteCursor& from) { return read_payload<R>(from, budget, profile, handler); };
  if (!scan) return reader(cursor);
  StreamScanner<R> scanner(cursor, budget, profile, handler);
  return scanner.run(reader);
}

// The buffer decoder's fast path. Any failure here only means "decode again on the
// streaming path", which then reports the error: one source of error texts and locations.
Error in_place_failed() { return Error(ErrorCategory::decode, "in-place decode failed"); }

// The embedded string of a body held whole: scanned where it lies, still escaped.
template <class R, class Sink>
Status parse_payload_in_place(ByteCursor& cursor, const Profile& profile, DecodePolicy policy, Sink& sink) {
  const char* after = scan_payload<R>(cursor.p_, cursor.end_, profile, policy, sink);
  if (!after) return in_place_failed();
  cursor.p_ = after;
  return {};
}

enum class PayloadPath : std::uint8_t { streaming, in_place, reference };

// Records of a telegram whose commonHeader already carries a service error are not delivered.
template <class R, class Sink>
struct ServiceErrorGate {
  Sink& sink;
  const Envelope& env;
  const Profile& profile;
  Status operator()(R&& r) {
    if (env.header.error_code != profile.success_code) return {};
    return sink(std::move(r));
  }
  // Building in place (when the sink stores the records itself).
  template <class S = Sink, class = decltype(std::declval<S&>().emplace())>
  R& emplace() {
    return sink.emplace();
  }
  Status commit() {
    if (env.header.error_code != profile.success_code) return sink.discard(), Status{};
    return sink.commit();
  }
  void discard() { sink.discard(); }
  void reserve(std::size_t needed, std::size_t generous) { sink.reserve(needed, generous); }
};

template <class R, class Sink>
Status decode_body(ByteCursor& cursor, const Profile& profile, DecodePolicy policy, Sink& sink, CommonHeader& header,
                   PayloadPath path = PayloadPath::streaming) {
  Envelope env;
  ServiceErrorGate<R, Sink> gate{sink, env, profile};
  PayloadParser parser = [&](ByteCursor& c, ValueBudget& b) {
    return path == PayloadPath::in_place
               ? parse_payload_in_place<R>(c, profile, policy, gate)
               : parse_payload<R>(c, b, profile, policy, gate, path == PayloadPath::streaming);
  };
  Status st = parse_envelope(cursor, profile, env, &parser);
  header = std::move(env.header);
  if (!st) return st;
  if (!env.payload_seen && header.error_code == profile.success_code)
    return envelope_error("selfPersonalDataProvisionInfo.selfPersonalData", "is missing");
  return {};
}

template <class R>
struct VectorSink {
  std::vector<R>& out;
  Status operator()(R&& r) {
    out.push_back(std::move(r));
    return {};
  }
  // The record is built where it stays (no move of a whole record per record): emplace()
  // opens it, commit() keeps it, discard() takes it back out.
  R& emplace() { return out.emplace_back(); }
  /// Room for generous records when there is none for needed.
  void reserve(std::size_t needed, std::size_t generous) {
    if (needed > out.capacity()) out.reserve(generous);
  }
  Status commit() { return {}; }
  void discard() { out.pop_back(); }
};

template <class R>
struct CallbackSink {
  const RecordCallback<R>& fn;
  Status operator()(R&& r) { return fn(std::move(r)); }
};

// Writes JSON text into a std::string, escaping it as the body of a JSON string.
struct EscapingStream {
  typedef char Ch;
  std::string* out = nullptr;
  void Put(char c) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      const char esc[] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 1], kHex[c & 15]};
      out->append(esc, sizeof esc);
      return;
    }
    out->push_back(c);
  }
  void Flush() {}
};

// Writes plain JSON text into a std::string.
struct PlainStream {
  typedef char Ch;
  std::string* out = nullptr;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};

// A JSON string of text whose surrogate escapes (\ud800, kept as text by the decoder) are
// written back as escapes, so that the telegram says what the service sent.
inline std::string json_string_keeping_surrogate_escapes(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (surrogate_escape_at(text, i)) {
      // A high surrogate escape written raw right before a low one would read back as one
      // character: its backslash is written escaped instead (the text reads back the same).
      auto low = [&](std::size_t at) { return std::strchr("cdefCDEF", text[at + 3]) != nullptr; };
      const bool pairs = !low(i) && surrogate_escape_at(text, i + 6) && low(i + 6);
      out.append(pairs ? "\\\\" : "\\").append(text.substr(i + 1, 5));
      i += 5;
      continue;
    }
    append_json_string_body(out, text.substr(i, 1));
  }
  return out + '"';
}

template <class R, class Stream>
class PayloadWriter {
 public:
  PayloadWriter(const Profile& profile, std::string_view org) : profile_(profile), org_(org) {}

  void begin(std::string& out) {
    stream_.out = &out;
    writer_.StartArray();
    writer_.StartObject();
    writer_.Key(org_.data(), static_cast<rapidjson::SizeType>(org_.size()));
    writer_.StartObject();
    const std::string& key = profile_.payload_key(RecordTraits<R>::type);
    writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    writer_.StartArray();
  }

  void add(const R& record, std::string& out) {
    stream_.out = &out;
    writer_.StartObject();
    WireBuffer buf;
    for (const FieldInfo& f : RecordTraits<R>::catalog) {
      ConstFieldRef ref = f.of(record);
      if (!present(ref)) {
        // An item received empty or null and then repeated keeps its key, so that the
        // repeats decode as repeats again.
        if (!profile_.encode_absent_as_null && !repeated(record.issues, f.number)) continue;
        writer_.Key(f.ja.data(), static_cast<rapidjson::SizeType>(f.ja.size()));
        writer_.Null();
        continue;
      }
      std::string_view text = wire_text(ref, buf);
      writer_.Key(f.ja.data(), static_cast<rapidjson::SizeType>(f.ja.size()));
      if (f.kind == ValueKind::text && write_raw_text(*static_cast<const Text*>(ref.ptr), text)) continue;
      writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    }
    for (const ExtraItem* x = record.issues.extra_begin(); x != record.issues.extra_end(); ++x) write_extra(*x);
    writer_.EndObject();
  }

  static bool repeated(const Issues& issues, unsigned item_number) {
    for (const ExtraItem* x = issues.extra_begin(); x != issues.extra_end(); ++x)
      if (x->item_number == item_number) return true;
    return false;
  }

  // A key that is no item, or a later value of a repeated item: written back as received.
  void write_extra(const ExtraItem& x) {
    const std::string_view key = x.key.view(), text = x.text.view();
    writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    if (x.json && is_json_value(text))
      writer_.RawValue(text.data(), text.size(), rapidjson::kObjectType);
    else
      writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }

  // Text as it arrived where a string cannot say it: surrogate escapes stay escapes, and an
  // object, array or boolean received in place of a text is written back as JSON.
  bool write_raw_text(const Text& value, std::string_view text) {
    if (value.unparsed_has_escapes()) {
      const std::string json = json_string_keeping_surrogate_escapes(text);
      return writer_.RawValue(json.data(), json.size(), rapidjson::kStringType);
    }
    if (value.state() != ValueState::unparsed || value.has_value() || !is_json_value(text)) return false;
    return writer_.RawValue(text.data(), text.size(), rapidjson::kObjectType);
  }

  static bool is_json_value(std::string_view text) {
    if (text.empty() || text.front() == '"') return false;
    rapidjson::Reader reader;
    rapidjson::BaseReaderHandler<> ignore;
    rapidjson::MemoryStream bytes(text.data(), text.size());
    return !reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag>(bytes, ignore)
                .IsError() &&
           bytes.Tell() == text.size();
  }

  void finish(std::string& out) {
    stream_.out = &out;
    writer_.EndArray();
    writer_.EndObject();
    writer_.EndObject();
    writer_.EndArray();
  }

 private:
  const Profile& profile_;
  std::string org_;
  Stream stream_;
  rapidjson::Writer<Stream> writer_{stream_};
};

template <class R>
Result<ResultTelegram<R>> decode_buffer(std::string_view body, const Profile& profile, DecodePolicy policy,
                                        PayloadPath path) {
  ResultTelegram<R> result;
  ByteCursor cursor(body);
  VectorSink<R> sink{result.records};
  if (auto st = decode_body<R>(cursor, profile, policy, sink, result.header, path); !st) return std::move(st).error();
  if (result.header.error_code != profile.success_code) result.records.clear();
  return result;
}

// The in-place path accepts exactly what the streaming path accepts and yields the same
// records; whatever it fails on is decoded again on the streaming path for the error.
template <class R>
Result<ResultTelegram<R>> decode_result_unchecked(std::string_view body, const Profile& profile,
                                                  const DecodeOptions& options) {
  auto fast = decode_buffer<R>(body, profile, options.policy, PayloadPath::in_place);
  if (fast) return fast;
  auto reported = decode_buffer<R>(body, profile, options.policy, PayloadPath::streaming);
  assert(!reported && "the payload scanner refused a telegram that the streaming decoder accepts");
  return reported;
}

template <class R>
Result<ResultTelegram<R>> decode_result_reference(std::string_view body, const Profile& profile,
                                                  const DecodeOptions& options) {
  auto decoded = decode_buffer<R>(body, profile, options.policy, PayloadPath::reference);
  if (decoded)
    if (Status st = codec::check_service_error(decoded->header, profile); !st) return std::move(st).error();
  return decoded;
}

template <class R>
Status decode_result_unchecked(ByteSource& body, const Profile& profile, const DecodeOptions& options,
                               const RecordCallback<R>& on_record, CommonHeader& header) {
  ByteCursor cursor(body);
  CallbackSink<R> sink{on_record};
  return decode_body<R>(cursor, profile, options.policy, sink, header);
}
}  // namespace myna::internal

namespace myna::codec {

template <class R>
Result<ResultTelegram<R>> decode_result(std::string_view body, const Profile& profile, const DecodeOptions& options) {
  auto decoded = internal::decode_result_unchecked<R>(body, profile, options);
  if (decoded)
    if (Status st = check_service_error(decoded->header, profile); !st) return std::move(st).error();
  return decoded;
}

template <class R>
Status decode_result(ByteSource& body, const Profile& profile, const DecodeOptions& options,
                     const RecordCallback<R>& on_record, CommonHeader& header) {
  Status st = internal::decode_result_unchecked<R>(body, profile, options, on_record, header);
  if (!st) return st;
  return check_service_error(header, profile);
}

template <class R>
Result<std::vector<R>> decode_payload(std::string_view payload, const Profile& profile, const DecodeOptions& options) {
  // Present the bare document as the body of a JSON string: quote-free, escape-free text is
  // read directly; any '"' or '\\' would end or escape it, so re-escape when needed.
  std::string quoted;
  quoted.reserve(payload.size() + payload.size() / 8 + 2);
  internal::EscapingStream esc{&quoted};
  for (char c : payload) esc.Put(c);
  quoted.push_back('"');
  const char* const end = quoted.data() + quoted.size();
  std::vector<R> fast;  // scanned first; the streaming path below reports errors
  internal::VectorSink<R> fast_sink{fast};
  if (internal::scan_payload<R>(quoted.data(), end, profile, options.policy, fast_sink) == end) return fast;
  std::vector<R> records;
  internal::ByteCursor cursor(quoted);
  internal::ValueBudget budget{profile.max_value_bytes};
  internal::VectorSink<R> sink{records};
  if (auto st = internal::parse_payload<R>(cursor, budget, profile, options.policy, sink); !st)
    return std::move(st).error();
  if (cursor.p_ != cursor.end_) return internal::envelope_error("payload", "has trailing characters");
  assert(false && "the payload scanner refused a payload that the streaming decoder accepts");
  return records;
}

template <class R>
std::string encode_payload(const std::vector<R>& records, const Profile& profile, std::string_view org) {
  std::string out;
  internal::PayloadWriter<R, internal::PlainStream> w(profile, org);
  w.begin(out);
  for (const R& r : records) w.add(r, out);
  w.finish(out);
  return out;
}

template <class R>
struct ResultWriter<R>::Impl {
  Impl(const Profile& p, CommonHeader h, std::string_view org) : header(std::move(h)), writer(p, org) {}
  CommonHeader header;
  internal::PayloadWriter<R, internal::EscapingStream> writer;
};

template <class R>
ResultWriter<R>::ResultWriter(const Profile& profile, CommonHeader header, std::string_view org)
    : impl_(std::make_unique<Impl>(profile, std::move(header), org)) {}
template <class R>
ResultWriter<R>::~ResultWriter() = default;
template <class R>
ResultWriter<R>::ResultWriter(ResultWriter&&) noexcept = default;
template <class R>
ResultWriter<R>& ResultWriter<R>::operator=(ResultWriter&&) noexcept = default;

template <class R>
void ResultWriter<R>::begin(std::string& out) {
  std::string header = encode_header(impl_->header);
  header.pop_back();  // reopen the object after commonHeader
  out += header;
  out += ",\"selfPersonalDataProvisionInfo\":{\"selfPersonalData\":\"";
  impl_->writer.begin(out);
}

template <class R>
void ResultWriter<R>::add(const R& record, std::string& out) {
  impl_->writer.add(record, out);
}

template <class R>
void ResultWriter<R>::finish(std::string& out) {
  impl_->writer.finish(out);
  out += "\"}}";
}

template <class R>
std::string encode_result(const CommonHeader& header, const std::vector<R>& records, const Profile& profile,
                          std::string_view org) {
  ResultWriter<R> w(profile, header, org);
  std::string out;
  w.begin(out);
  for (const R& r : records) w.add(r, out);
  w.finish(out);
  return out;
}

#define MYNA_INSTANTIATE_CODEC(R)                                                                                      \
  template Result<ResultTelegram<R>> decode_result<R>(std::string_view, const Profile&, const DecodeOptions&);         \
  template Status decode_result<R>(ByteSource&, const Profile&, const DecodeOptions&, const RecordCallback<R>&,        \
                                   CommonHeader&);                                                                     \
  template Result<std::vector<R>> decode_payload<R>(std::string_view, const Profile&, const DecodeOptions&);           \
  template std::string encode_payload<R>(const std::vector<R>&, const Profile&, std::string_view);                     \
  template std::string encode_result<R>(const CommonHeader&, const std::vector<R>&, const Profile&, std::string_view); \
  template class ResultWriter<R>;

MYNA_INSTANTIATE_CODEC(DrugRecord)
MYNA_INSTANTIATE_CODEC(CheckupRecord)
MYNA_INSTANTIATE_CODEC(MedicalExpenseRecord)

}  // namespace myna::codec

namespace myna::internal {
#define MYNA_INSTANTIATE_UNCHECKED(R)                                                             \
  template Result<ResultTelegram<R>> decode_result_unchecked<R>(std::string_view, const Profile&, \
                                                                const DecodeOptions&);            \
  template Status decode_result_unchecked<R>(ByteSource&, const Profile&, const DecodeOptions&,   \
                                             const RecordCallback<R>&, CommonHeader&);            \
  template Result<ResultTelegram<R>> decode_result_reference<R>(std::string_view, const Profile&, const DecodeOptions&);
MYNA_INSTANTIATE_UNCHECKED(DrugRecord)
MYNA_INSTANTIATE_UNCHECKED(CheckupRecord)
MYNA_INSTANTIATE_UNCHECKED(MedicalExpenseRecord)
}  // namespace myna::internal
