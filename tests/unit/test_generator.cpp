#include <catch2/catch.hpp>

#include "myna/codec/payload.hpp"
#include "myna/sandbox/generator.hpp"

using namespace myna;
using sandbox::Generator;

namespace {
template <class R>
void check_every_item_present_and_absent(const Generator& gen, std::size_t citizens) {
  const auto& cat = catalog<R>();
  std::vector<int> present(cat.size()), absent(cat.size());
  std::size_t total = 0;
  for (std::size_t c = 0; c < citizens; ++c) {
    for (const R& r : gen.all_records<R>(c)) {
      ++total;
      for (std::size_t i = 0; i < cat.size(); ++i) (has_value(cat[i].of(r)) ? present : absent)[i]++;
    }
  }
  REQUIRE(total > 0);
  for (std::size_t i = 0; i < cat.size(); ++i) {
    INFO(japanese_name(RecordTraits<R>::type) << " item " << cat[i].number << " " << cat[i].ja);
    CHECK(present[i] > 0);
    CHECK(absent[i] > 0);
  }
}
}  // namespace

TEST_CASE("the generator is deterministic", "[generator]") {
  Generator a(7), b(7), c(8);
  CHECK(a.citizen(3).name == b.citizen(3).name);
  auto da = a.all_records<DrugRecord>(3), db = b.all_records<DrugRecord>(3);
  REQUIRE(da.size() == db.size());
  for (std::size_t i = 0; i < da.size(); ++i) CHECK(records_equal(da[i], db[i]));
  bool differs = false;
  for (std::size_t i = 0; i < 20 && !differs; ++i) differs = a.citizen(i).name != c.citizen(i).name;
  CHECK(differs);
  CHECK(sandbox::citizen_index(sandbox::citizen_id(42)) == 42);
  CHECK(sandbox::citizen_index("X0000042") == -1);
}

TEST_CASE("every one of the 179 items is populated for some records and absent for others", "[generator]") {
  Generator gen;
  check_every_item_present_and_absent<DrugRecord>(gen, 60);
  check_every_item_present_and_absent<CheckupRecord>(gen, 400);
  check_every_item_present_and_absent<MedicalExpenseRecord>(gen, 60);
}

TEST_CASE("generated records survive the wire and the query filters them", "[generator]") {
  Generator gen;
  Profile profile;
  for (std::size_t c = 0; c < 20; ++c) {
    auto drugs = gen.all_records<DrugRecord>(c);
    auto back = codec::decode_payload<DrugRecord>(codec::encode_payload(drugs, profile), profile);
    REQUIRE(back.ok());
    REQUIRE(back->size() == drugs.size());
    for (std::size_t i = 0; i < drugs.size(); ++i) CHECK(records_equal(drugs[i], (*back)[i]));
    auto checkups = gen.all_records<CheckupRecord>(c);
    auto cback = codec::decode_payload<CheckupRecord>(codec::encode_payload(checkups, profile), profile);
    REQUIRE(cback.ok());
    CHECK(cback->size() == checkups.size());
  }
  auto q = make_query(RecordType::drug, "20240101", "20240331").value();
  auto some = gen.records<DrugRecord>(1, q);
  auto all = gen.all_records<DrugRecord>(1);
  CHECK(some.size() < all.size());
  for (const auto& r : some)
    if (r.treatment_month.has_value()) CHECK(q.matches(r));
}

namespace {
std::uint64_t fnv1a(std::uint64_t h, const std::string& s) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}
}  // namespace

// Same seed, same data on every machine and compiler: a fingerprint of the encoded records.
// If you change the generator on purpose, update the constant (and say so in the commit).
TEST_CASE("the generated data is the same with every compiler", "[generator]") {
  Generator gen;
  Profile profile;
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t c = 0; c < 50; ++c) {
    h = fnv1a(h, gen.citizen(c).name.str() + gen.citizen(c).birth_date.to_wire());
    h = fnv1a(h, codec::encode_payload(gen.all_records<DrugRecord>(c), profile));
    h = fnv1a(h, codec::encode_payload(gen.all_records<CheckupRecord>(c), profile));
    h = fnv1a(h, codec::encode_payload(gen.all_records<MedicalExpenseRecord>(c), profile));
  }
  CHECK(h == 0xee6d7a07c55f7411ull);
}
