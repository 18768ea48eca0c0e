// The buffer decoder parses the embedded payload in place (its fast path) and leaves errors
// to the streaming path. Both must agree on every input: the same records, or the same error
// (category, message, location).
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>

#include "codec/byte_scan.hpp"
#include "myna/codec/payload.hpp"
#include "support/chunks.hpp"
#include "support/fill.hpp"

using namespace myna;

namespace {

CommonHeader header() { return {"TL-00000086-260101093000-0001", "IFA0303-S01", "1", "P1", ""}; }

template <class R>
struct Outcome {
  std::vector<R> records;
  CommonHeader header;
  std::optional<Error> error;
};

template <class R>
Outcome<R> from_buffer(const std::string& body) {
  auto r = codec::decode_result<R>(body, Profile{});
  if (!r) return {{}, {}, r.error()};
  return {std::move(r->records), std::move(r->header), std::nullopt};
}

template <class R>
Outcome<R> streamed(const std::string& body, std::size_t chunk) {
  test::ChunkedSource source(body, {chunk});
  Outcome<R> out;
  Status st = codec::decode_result<R>(
      source, Profile{}, [&](R&& r) { return out.records.push_back(std::move(r)), Status(); }, out.header);
  if (!st) out.error = st.error();
  return out;
}

template <class R>
void check_agree(const std::string& body, std::size_t chunk = 3) {
  Outcome<R> a = from_buffer<R>(body), b = streamed<R>(body, chunk);
  REQUIRE(a.error.has_value() == b.error.has_value());
  if (a.error) {
    CHECK(a.error->category() == b.error->category());
    CHECK(a.error->message() == b.error->message());
    REQUIRE(a.error->location().has_value() == b.error->location().has_value());
    if (!a.error->location()) return;
    const DecodeLocation &x = *a.error->location(), &y = *b.error->location();
    CHECK(x.record_type == y.record_type);
    CHECK(x.record_index == y.record_index);
    CHECK(x.item_number == y.item_number);
    CHECK(x.item_name == y.item_name);
    CHECK(x.envelope_field == y.envelope_field);
    CHECK(x.byte_offset == y.byte_offset);
    return;
  }
  CHECK(a.header == b.header);
  REQUIRE(a.records.size() == b.records.size());
  for (std::size_t i = 0; i < a.records.size(); ++i) CHECK(records_equal(a.records[i], b.records[i]));
}

template <class R>
std::string sample_body() {
  std::vector<R> records{test::filled<R>(1), test::filled<R>(2, 3), R{}, test::filled<R>(5, 2)};
  return codec::encode_result(header(), records, Profile{});
}

// Every non-ASCII character of the body written as a \u escape (surrogate pairs above U+FFFF),
// as a service may well send it; ASCII stays as it is.
std::string escape_non_ascii(const std::string& body) {
  std::string out;
  auto u = [&](unsigned cp) {  // cp < 0x10000
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    out += buf;
  };
  for (std::size_t i = 0; i < body.size();) {
    const auto b = static_cast<unsigned char>(body[i]);
    if (b < 0x80) {
      out += body[i++];
      continue;
    }
    const int n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    unsigned cp = b & (0x7Fu >> n);
    for (int k = 1; k < n; ++k) cp = cp << 6 | (static_cast<unsigned char>(body[i + k]) & 0x3Fu);
    i += static_cast<std::size_t>(n);
    if (cp < 0x10000) {
      u(cp);
    } else {
      u(0xD800 + ((cp - 0x10000) >> 10));
      u(0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
  }
  return out;
}

struct Lcg {
  std::uint64_t state;
  std::size_t below(std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((state >> 33) % n);
  }
};

}  // namespace

TEMPLATE_TEST_CASE("buffer and streaming decoders agree on valid telegrams", "[codec][paths]", DrugRecord,
                   CheckupRecord, MedicalExpenseRecord) {
  const std::string body = sample_body<TestType>();
  for (std::size_t chunk : {1u, 2u, 7u, 4096u}) check_agree<TestType>(body, chunk);
  check_agree<TestType>(escape_non_ascii(body));
}

TEST_CASE("escaped keys, surrogate pairs and escapes inside values decode the same on both paths", "[codec][paths]") {
  DrugRecord r;
  r.name = Text("𠮷野 \"家\" \\ 太郎\t/é");  // U+20BB7 needs a surrogate pair when escaped
  r.drug_name = Text("a\"b\"c long text after the escape: 0123456789 0123456789");
  const std::string body = escape_non_ascii(codec::encode_result(header(), std::vector<DrugRecord>{r}, Profile{}));
  CHECK(body.find("\\ud842\\udfb7") != std::string::npos);
  auto decoded = codec::decode_result<DrugRecord>(body, Profile{});
  REQUIRE(decoded.ok());
  REQUIRE(decoded->records.size() == 1);
  CHECK(decoded->records[0].name == r.name);
  CHECK(decoded->records[0].drug_name == r.drug_name);
  check_agree<DrugRecord>(body);
}

TEST_CASE("quotes and backslashes anywhere in a value decode the same on both paths", "[codec][paths]") {
  // Escapes at both levels of the embedded payload: quotes, backslashes before quotes,
  // escaped Unicode, JSON-looking text, and a backslash as the last character of a value.
  const char* tricky[] = {"a\"b", "c\\", "\\\"", "x\\\\\"y", "\u3042\"", "{\"k\":[1]}", "\\", "\"", ""};
  std::vector<DrugRecord> records;
  for (int i = 0; i < 60; ++i) {
    DrugRecord r = test::filled<DrugRecord>(i, 1 + i % 4);
    r.name = Text(tricky[i % 9]);
    r.drug_name = Text(std::string(tricky[(i + 3) % 9]) + tricky[(i + 5) % 9]);
    records.push_back(std::move(r));
  }
  const std::string body = codec::encode_result(header(), records, Profile{});
  auto decoded = codec::decode_result<DrugRecord>(body, Profile{});
  REQUIRE(decoded.ok());
  REQUIRE(decoded->records.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) CHECK(records_equal(decoded->records[i], records[i]));
  check_agree<DrugRecord>(body);
}

TEST_CASE("text of every length ends cleanly at the end of the in-place buffer", "[codec][paths]") {
  for (std::size_t n = 0; n < 24; ++n) {
    MedicalExpenseRecord r;
    r.unique_code = Text(std::string(n, 'x'));
    const std::string body = codec::encode_result(header(), std::vector<MedicalExpenseRecord>{r}, Profile{});
    auto decoded = codec::decode_result<MedicalExpenseRecord>(body, Profile{});
    REQUIRE(decoded.ok());
    CHECK(decoded->records.at(0).unique_code == r.unique_code);
    const std::string payload = codec::encode_payload(std::vector<MedicalExpenseRecord>{r}, Profile{});
    CHECK(codec::decode_payload<MedicalExpenseRecord>(payload, Profile{}).value().at(0).unique_code == r.unique_code);
  }
}

TEST_CASE("escapes the in-place path declines still get the streaming path's errors", "[codec][paths]") {
  const std::string prefix =
      R"J({"commonHeader":{"telegramId":"t","telegramType":"x","mode":"1","processId":"p","errorCode":""},"selfPersonalDataProvisionInfo":{"selfPersonalData":")J";
  const std::string records = R"J([{\"o\":{\"薬剤情報\":[{\"氏名\":\")J";
  for (const char* tail : {R"J(\udc00)J", R"J(\ud800\u0041)J", R"J(\u0000)J", R"J(\u00zz)J", R"J(\q)J", "\x01"}) {
    INFO(tail);
    const std::string body = prefix + records + "x" + tail + R"J(\"}]}}]"}})J";
    CHECK_FALSE(codec::decode_result<DrugRecord>(body, Profile{}).ok());
    check_agree<DrugRecord>(body, 1);
  }
}

TEMPLATE_TEST_CASE("buffer and streaming decoders agree on damaged telegrams", "[codec][paths]", DrugRecord,
                   CheckupRecord, MedicalExpenseRecord) {
  constexpr std::size_t kLargeBody = 128 * 1024;
  std::string body = sample_body<TestType>();
  SECTION("a small body") {}
  SECTION("a body over 128 KiB") {
    std::vector<TestType> records;
    while (body.size() < kLargeBody) {
      for (int i = 0; i < 50; ++i)
        records.push_back(test::filled<TestType>(static_cast<int>(records.size()), 1 + i % 3));
      body = codec::encode_result(header(), records, Profile{});
    }
  }
  const int mutations = body.size() >= kLargeBody ? 100 : 1500;
  const std::string bytes = "\"\\/u0aZ{}[],: \n\t\x01\xe3\x80";
  Lcg rng{42};
  for (int i = 0; i < mutations; ++i) {
    std::string damaged = body;
    const std::size_t at = rng.below(damaged.size());
    const char byte = bytes[rng.below(bytes.size())];
    switch (rng.below(3)) {
      case 0: damaged[at] = byte; break;
      case 1: damaged.erase(at, 1 + rng.below(4)); break;
      default: damaged.insert(at, 1, byte); break;
    }
    INFO("mutation " << i << " at " << at);
    check_agree<TestType>(damaged, mutations == 1500 ? 3 : 61);
  }
}

TEST_CASE("the streaming decoder takes chunks larger than max_value_bytes", "[codec][paths]") {
  std::vector<DrugRecord> records;
  for (int i = 0; i < 200; ++i) records.push_back(test::filled<DrugRecord>(i));
  const std::string body = codec::encode_result(header(), records, Profile{});
  REQUIRE(body.size() > 3 * Profile{}.max_value_bytes);
  for (std::size_t chunk : {Profile{}.max_value_bytes + 1, 3 * Profile{}.max_value_bytes, body.size()}) {
    INFO("chunk " << chunk);
    Outcome<DrugRecord> out = streamed<DrugRecord>(body, chunk);
    REQUIRE_FALSE(out.error.has_value());
    CHECK(out.records.size() == records.size());
  }
  // A value over the limit is still refused, whatever the chunk size.
  DrugRecord big;
  big.name = Text(std::string(Profile{}.max_value_bytes + 1, 'x'));
  const std::string too_long = codec::encode_result(header(), std::vector<DrugRecord>{big}, Profile{});
  for (std::size_t chunk : {1u, 4096u, 100000u, 1000000u}) {
    INFO("chunk " << chunk);
    Outcome<DrugRecord> out = streamed<DrugRecord>(too_long, chunk);
    REQUIRE(out.error.has_value());
    CHECK(out.error->message().find("limit") != std::string::npos);
  }
  check_agree<DrugRecord>(too_long, 1);
}

TEST_CASE("chunks of every size: read where they lie, records across their ends carried", "[codec][paths]") {
  std::vector<CheckupRecord> records;
  for (int i = 0; i < 300; ++i) records.push_back(test::filled<CheckupRecord>(i));
  const std::string body = codec::encode_result(header(), records, Profile{});
  REQUIRE(body.size() > 4 * 65536);
  // Below, at and above the carry's 16 KiB pieces; a prime size cuts records anywhere.
  for (std::size_t chunk : {std::size_t{1}, std::size_t{997}, std::size_t{16384}, std::size_t{16411},
                            std::size_t{65536}, std::size_t{262144}, body.size()}) {
    INFO("chunk " << chunk);
    Outcome<CheckupRecord> out = streamed<CheckupRecord>(body, chunk);
    REQUIRE_FALSE(out.error.has_value());
    REQUIRE(out.records.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) CHECK(records_equal(out.records[i], records[i]));
  }
}

TEST_CASE("the record vector is sized from the body, never beyond its bytes", "[codec][paths]") {
  // 40 empty records, then one long one: the first records say the body holds thousands.
  std::vector<CheckupRecord> records(40);
  CheckupRecord long_one;
  long_one.doctor.judgement = Text(std::string(60000, 'x'));
  records.push_back(long_one);
  const std::string body = codec::encode_result(header(), records, Profile{});
  auto decoded = codec::decode_result<CheckupRecord>(body, Profile{});
  REQUIRE(decoded);
  REQUIRE(decoded->records.size() == records.size());
  CHECK(records_equal(decoded->records.back(), long_one));
  CHECK(decoded->records.capacity() * sizeof(CheckupRecord) <= body.size());
}

TEST_CASE("block scans find the first quote, backslash or control byte", "[codec][paths]") {
  using namespace internal;
  auto naive = [](const char* p, std::size_t n) {
    std::size_t i = 0;
    while (i < n && is_plain(p[i])) ++i;
    return i;
  };
  Lcg rng{7};
  const unsigned char pool[] = {0x00, 0x01, 0x1F, 0x20, 0x21, '"',  0x23, '\\',
                                0x5B, 0x5D, 'a',  0x7F, 0x80, 0x9C, 0xE3, 0xFF};
  for (int i = 0; i < 100000; ++i) {
    char block[16];
    const std::size_t plain_run = rng.below(17);  // mostly plain blocks, like real text
    for (std::size_t k = 0; k < sizeof block; ++k)
      block[k] = k < plain_run ? 'a' : static_cast<char>(pool[rng.below(sizeof pool)]);
    INFO("case " << i);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    REQUIRE(scan_word(block) == naive(block, 8));
#endif
#if defined(__SSE2__)
    REQUIRE(scan_sse2(block) == naive(block, 16));
#endif
    REQUIRE(scan_block(block) == naive(block, kBlock));
  }
}
