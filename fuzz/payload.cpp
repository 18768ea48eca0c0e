// Payload decoder of each record type: decode_payload<R> (the bare embedded document) and
// decode_result<R> (the whole result telegram) on any bytes. Properties: no crash; errors are
// located decode errors; what decodes re-encodes and decodes to the same records.
#include "myna/codec/payload.hpp"
#include "fuzz.hpp"

namespace {

using namespace myna;

void erase_all(std::string& text, std::string_view what) {
  if (what.empty()) return;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos)) text.erase(pos, what.size());
}

// Record values never appear in error texts (docs/errors.md): once the item, type and code
// set names are taken out, what is left is the decoder's own ASCII wording, without quotes.
void check_no_values(const Error& e, const Profile& profile) {
  std::string text = e.message();
  for (auto type : {RecordType::drug, RecordType::checkup, RecordType::expense})
    erase_all(text, "\"" + profile.payload_key(type) + "\"");
  erase_all(text, e.location()->item_name);
  erase_all(text, e.location()->record_type);
  for (int id = 1; id < static_cast<int>(CodeSetId::count_); ++id)
    erase_all(text, code_set(static_cast<CodeSetId>(id)).name);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || u < 0x20 || u > 0x7e) fuzz::fail("an error text may show a record value", e);
  }
}

void check_error(const Error& e, const char* what) {
  static const Profile profile;
  if (e.category() != ErrorCategory::decode || !e.location()) fuzz::fail(what, e);
  check_no_values(e, profile);
}

template <class R>
void check_same(const std::vector<R>& a, const std::vector<R>& b, const char* what) {
  if (a.size() != b.size()) fuzz::fail(std::string(what) + ": record count differs");
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!records_equal(a[i], b[i])) fuzz::fail(std::string(what) + ": record #" + std::to_string(i) + " differs");
}

template <class R>
void payload(std::string_view input, const Profile& profile) {
  auto records = codec::decode_payload<R>(input, profile);
  if (!records) return check_error(records.error(), "decode_payload error is not a located decode error");
  auto again = codec::decode_payload<R>(codec::encode_payload(*records, profile), profile);
  if (!again) fuzz::fail("encode_payload output does not decode", again.error());
  check_same(*records, *again, "payload round trip");
}

template <class R>
void result(std::string_view input, const Profile& profile) {
  auto telegram = codec::decode_result<R>(input, profile);
  if (!telegram && !telegram.error().service_code().empty()) return;  // the commonHeader's service error
  if (!telegram) return check_error(telegram.error(), "decode_result error is not a located decode error");
  auto again = codec::decode_result<R>(codec::encode_result(telegram->header, telegram->records, profile), profile);
  if (!again) fuzz::fail("encode_result output does not decode", again.error());
  if (!(again->header == telegram->header)) fuzz::fail("result round trip: header differs");
  check_same(telegram->records, again->records, "result round trip");
}

template <class R>
void run(std::string_view input) {
  static const Profile profile;
  payload<R>(input, profile);
  result<R>(input, profile);
}

}  // namespace

MYNA_FUZZ_TARGET(payload_drug) { run<DrugRecord>(input); }
MYNA_FUZZ_TARGET(payload_checkup) { run<CheckupRecord>(input); }
MYNA_FUZZ_TARGET(payload_expense) { run<MedicalExpenseRecord>(input); }
