// The variant corpus (tests/data/variants/): every telegram decoded in both policies, on the
// buffer and the streaming path, and every expectation of its .expect.json checked — record
// counts, states, kept text (unparsed_text() and the re-encoded wire text), typed values,
// issue kinds and counts, strict error locations. Prints the corpus figures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <rapidjson/document.h>

#include "myna/codec/payload.hpp"
#include "support/chunks.hpp"

using namespace myna;

namespace {

const std::string kDir = std::string(MYNA_TEST_DATA_DIR) + "/variants/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out += kHex[static_cast<unsigned char>(c) >> 4];
    out += kHex[static_cast<unsigned char>(c) & 15];
  }
  return out;
}

std::string str(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.HasMember(key));
  return std::string(v[key].GetString(), v[key].GetStringLength());
}

struct Figures {
  int total = 0, records_lost = 0, strict_errors = 0;
};
Figures g_figures;

template <class R>
std::vector<R> decode_streaming(const std::string& body, const Profile& profile, DecodeOptions options,
                                Status& status) {
  std::vector<R> records;
  test::ChunkedSource source(body, {7, 64, 3});
  CommonHeader header;
  status = codec::decode_result<R>(
      source, profile, options,
      [&](R&& r) {
        records.push_back(std::move(r));
        return Status{};
      },
      header);
  return records;
}

std::vector<IssueKind> kinds_of(const Issues& issues, std::uint16_t item) {
  std::vector<IssueKind> out;
  for (const Issue& i : issues)
    if (i.item_number == item) out.push_back(i.kind);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<IssueKind> expected_kinds(const rapidjson::Value& item) {
  std::vector<IssueKind> out;
  for (const auto& k : item["issues"].GetArray()) {
    auto kind = issue_kind_from_string(k.GetString());
    REQUIRE(kind);
    out.push_back(*kind);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A typed value of a valid item.
void check_typed(const FieldInfo& info, ConstFieldRef ref, const rapidjson::Value& e) {
  if (e.HasMember("text")) CHECK(std::string(static_cast<const Text*>(ref.ptr)->view()) == str(e, "text"));
  if (e.HasMember("date")) CHECK(static_cast<const Date*>(ref.ptr)->to_string() == str(e, "date"));
  if (e.HasMember("year_month")) CHECK(static_cast<const YearMonth*>(ref.ptr)->to_string() == str(e, "year_month"));
  if (e.HasMember("count")) CHECK(static_cast<const Count*>(ref.ptr)->value() == e["count"].GetInt());
  if (e.HasMember("yen")) CHECK(static_cast<const Yen*>(ref.ptr)->amount() == e["yen"].GetInt64());
  if (e.HasMember("decimal")) {
    const auto& d = *static_cast<const Decimal*>(ref.ptr);
    CHECK(d.to_string() == str(e, "decimal"));
    CHECK(std::string(to_string(d.comparator())) == (e.HasMember("comparator") ? str(e, "comparator") : ""));
  }
  if (e.HasMember("code")) {
    if (info.kind == ValueKind::code) {
      CHECK(static_cast<const CodeString*>(ref.ptr)->str() == str(e, "code"));
    } else {
      const auto& c = *static_cast<const Coded*>(ref.ptr);
      CHECK(std::string(c.code()) == str(e, "code"));
      const CodeLookup found = c.lookup();
      CHECK(found.known == e["known"].GetBool());
      CHECK(std::string(found.meaning) == (e["meaning"].IsNull() ? "" : str(e, "meaning")));
      CHECK(std::string(found.system) == (e.HasMember("system") ? str(e, "system") : ""));
    }
  }
}

template <class R>
void check_item(const R& record, const rapidjson::Value& e) {
  const auto number = static_cast<std::uint16_t>(e["item"].GetInt());
  const std::string want_state = str(e, "state");
  INFO("item " << number << " " << str(e, "name") << " (" << want_state << ")");
  if (number != 0) CHECK(kinds_of(record.issues, number) == expected_kinds(e));  // keys that are no item: counted below
  if (want_state == "extra") {
    const bool kept = std::any_of(record.issues.extra_begin(), record.issues.extra_end(), [&](const ExtraItem& x) {
      return x.item_number == 0 && x.key == str(e, "key") && x.text == str(e, "extra_text");
    });
    CHECK(kept);
    return;
  }
  const FieldInfo* info = find_field<R>(number);
  REQUIRE(info);
  CHECK(info->ja == str(e, "name"));
  const ConstFieldRef ref = info->of(record);
  CHECK(to_string(state(ref)) == want_state);
  if (e.HasMember("unparsed_text"))
    CHECK(unparsed_text(ref) == std::optional<std::string_view>(str(e, "unparsed_text")));
  if (e.HasMember("unparsed_hex")) CHECK(hex(unparsed_text(ref).value_or("")) == str(e, "unparsed_hex"));
  if (want_state == "valid") {
    check_typed(*info, ref, e);
    CHECK(to_wire_text(ref) == str(e, "wire"));
  } else if (e.HasMember("text")) {
    CHECK(std::string(static_cast<const Text*>(ref.ptr)->view()) == str(e, "text"));
  }
  if (e.HasMember("extras")) {
    std::vector<std::string> kept;
    for (auto x = record.issues.extra_begin(); x != record.issues.extra_end(); ++x)
      if (x->item_number == number) kept.emplace_back(x->text.view());
    std::vector<std::string> want;
    for (const auto& x : e["extras"].GetArray()) want.emplace_back(x.GetString(), x.GetStringLength());
    CHECK(kept == want);
  }
}

// Items the case does not list are the base record's plain values: valid or absent, no issue.
template <class R>
void check_plain_items(const R& record, const std::vector<int>& listed) {
  for (const FieldInfo& f : catalog<R>()) {
    if (std::find(listed.begin(), listed.end(), f.number) != listed.end()) continue;
    INFO("unlisted item " << f.number << " " << f.ja);
    CHECK(state(f.of(record)) != ValueState::unparsed);
    CHECK_FALSE(record.issues.mentions(f.number));
  }
}

// Re-encoding reproduces the wire text of every item and the extra items, and decodes to the
// same states (a value of the wrong JSON type may come back as a string).
template <class R>
void check_round_trip(const std::vector<R>& records, const Profile& profile) {
  const std::string payload = codec::encode_payload(records, profile);
  auto again = codec::decode_payload<R>(payload, profile);
  REQUIRE(again);
  REQUIRE(again->size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Issues &was = records[i].issues, &now = (*again)[i].issues;
    CHECK(std::equal(was.extra_begin(), was.extra_end(), now.extra_begin(), now.extra_end(),
                     [](const ExtraItem& a, const ExtraItem& b) { return a.key == b.key && a.text == b.text; }));
    for (const FieldInfo& f : catalog<R>()) {
      INFO("record " << i << " item " << f.number);
      const R& back = (*again)[i];
      CHECK(to_wire_text(f.of(back)) == to_wire_text(f.of(records[i])));
      // A value of the wrong JSON type may come back as a string.
      if (!records[i].issues.has(IssueKind::wrong_json_type, f.number))
        CHECK(state(f.of(back)) == state(f.of(records[i])));
    }
  }
}

template <class R>
void check_lenient(const std::string& body, const rapidjson::Value& expect, const Profile& profile) {
  const rapidjson::Value& lenient = expect["lenient"];
  auto decoded = codec::decode_result<R>(body, profile, DecodeOptions{DecodePolicy::lenient});
  Status streamed;
  std::vector<R> stream_records = decode_streaming<R>(body, profile, DecodeOptions{DecodePolicy::lenient}, streamed);
  if (str(lenient, "outcome") == "error") {
    REQUIRE_FALSE(decoded);
    CHECK(to_string(decoded.error().category()) == str(lenient, "category"));
    if (lenient.HasMember("service_code")) CHECK(decoded.error().service_code() == str(lenient, "service_code"));
    REQUIRE_FALSE(streamed.ok());
    CHECK(streamed.error().category() == decoded.error().category());
    return;
  }
  if (!decoded) FAIL(decoded.error().to_string());
  const int want = lenient["records"].GetInt();
  g_figures.records_lost += std::max(0, want - static_cast<int>(decoded->records.size()));
  REQUIRE(static_cast<int>(decoded->records.size()) == want);
  REQUIRE(streamed.ok());
  REQUIRE(stream_records.size() == decoded->records.size());
  IssueCounts counts;
  for (std::size_t i = 0; i < stream_records.size(); ++i) {
    CHECK(records_equal(stream_records[i], decoded->records[i]));
    CHECK(stream_records[i].issues == decoded->records[i].issues);
    counts.add(decoded->records[i].issues);
  }
  std::map<int, std::vector<int>> listed;
  for (const auto& item : lenient["items"].GetArray()) {
    const auto r = static_cast<std::size_t>(item["record"].GetInt());
    check_item(decoded->records.at(r), item);
    listed[static_cast<int>(r)].push_back(item["item"].GetInt());
  }
  for (std::size_t r = 0; r < decoded->records.size(); ++r)
    check_plain_items(decoded->records[r], listed[static_cast<int>(r)]);
  for (std::size_t k = 0; k < kIssueKindCount; ++k) {
    const auto kind = static_cast<IssueKind>(k);
    const auto& ec = lenient["issue_counts"];
    const std::uint64_t want_count = ec.HasMember(to_string(kind)) ? ec[to_string(kind)].GetUint64() : 0;
    CHECK(counts.count(kind) == want_count);
  }
  CHECK(counts.total() == lenient["issue_total"].GetUint64());
  check_round_trip(decoded->records, profile);
}

template <class R>
void check_strict(const std::string& body, const rapidjson::Value& expect, const Profile& profile) {
  const rapidjson::Value& strict = expect["strict"];
  auto decoded = codec::decode_result<R>(body, profile, DecodeOptions{DecodePolicy::strict});
  Status streamed;
  decode_streaming<R>(body, profile, DecodeOptions{DecodePolicy::strict}, streamed);
  if (str(strict, "outcome") == "ok") {
    if (!decoded) FAIL(decoded.error().to_string());
    CHECK(static_cast<int>(decoded->records.size()) == strict["records"].GetInt());
    CHECK(streamed.ok());
    return;
  }
  ++g_figures.strict_errors;
  REQUIRE_FALSE(decoded);
  REQUIRE_FALSE(streamed.ok());
  CHECK(to_string(decoded.error().category()) == str(strict, "category"));
  CHECK(streamed.error().category() == decoded.error().category());
  if (!strict.HasMember("record")) return;
  REQUIRE(decoded.error().location());
  const DecodeLocation& where = *decoded.error().location();
  CHECK(where.record_index == strict["record"].GetInt());
  CHECK(where.item_number == strict["item"].GetInt());
  CHECK(where.item_name == str(strict, "name"));
  REQUIRE(streamed.error().location());
  CHECK(streamed.error().location()->item_number == where.item_number);
}

template <class R>
void check_case(const std::string& body, const rapidjson::Value& expect) {
  const Profile profile;
  check_lenient<R>(body, expect, profile);
  check_strict<R>(body, expect, profile);
}

}  // namespace

TEST_CASE("every variant of the corpus decodes as its expectation says, in both policies") {
  rapidjson::Document index;
  index.Parse(read_file(kDir + "index.json").c_str());
  REQUIRE(index.IsObject());
  for (const auto& id : index["cases"].GetArray()) {
    const std::string name = id.GetString();
    SECTION(name) {
      rapidjson::Document expect;
      expect.Parse(read_file(kDir + name + ".expect.json").c_str());
      REQUIRE(expect.IsObject());
      const std::string body = read_file(kDir + str(expect, "telegram"));
      const std::string type = str(expect, "record_type");
      if (type == "drug")
        check_case<DrugRecord>(body, expect);
      else if (type == "checkup")
        check_case<CheckupRecord>(body, expect);
      else
        check_case<MedicalExpenseRecord>(body, expect);
    }
  }
}

TEST_CASE("variant corpus figures") {
  // Counted again here, once per case, independent of the sections above.
  rapidjson::Document index;
  index.Parse(read_file(kDir + "index.json").c_str());
  g_figures = {};
  int lost = 0, expected_strict_errors = 0;
  for (const auto& id : index["cases"].GetArray()) {
    rapidjson::Document expect;
    expect.Parse(read_file(kDir + std::string(id.GetString()) + ".expect.json").c_str());
    expected_strict_errors += str(expect["strict"], "outcome") != "ok";
    const std::string body = read_file(kDir + str(expect, "telegram"));
    const std::string type = str(expect, "record_type");
    ++g_figures.total;
    auto count = [&](auto tag) {
      using R = decltype(tag);
      auto lenient = codec::decode_result<R>(body, Profile{}, DecodeOptions{DecodePolicy::lenient});
      if (str(expect["lenient"], "outcome") == "ok")
        lost += lenient ? std::max(0, expect["lenient"]["records"].GetInt() - static_cast<int>(lenient->records.size()))
                        : expect["lenient"]["records"].GetInt();
      if (!codec::decode_result<R>(body, Profile{}, DecodeOptions{DecodePolicy::strict})) ++g_figures.strict_errors;
    };
    if (type == "drug")
      count(DrugRecord{});
    else if (type == "checkup")
      count(CheckupRecord{});
    else
      count(MedicalExpenseRecord{});
  }
  std::printf("FIGURE variants_total %d cases\n", g_figures.total);
  std::printf("FIGURE variants_records_lost %d records\n", lost);
  std::printf("FIGURE variants_strict_errors %d cases\n", g_figures.strict_errors);
  CHECK(g_figures.total == static_cast<int>(index["cases"].Size()));
  CHECK(lost == 0);
  CHECK(g_figures.strict_errors == expected_strict_errors);  // as the cases expect (README.md says how many)
}
