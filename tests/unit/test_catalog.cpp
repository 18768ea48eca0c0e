// The catalogs against tests/data/guideline_items.tsv, which tools/extract_seed_items.py
// derives from the OCR'd guideline (not from the catalogs).
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "myna/records.hpp"

using namespace myna;

namespace {
struct SeedItem {
  std::string name, group;
};
std::map<std::pair<std::string, int>, SeedItem> load_seed() {
  std::ifstream in(MYNA_TEST_DATA_DIR "/guideline_items.tsv");
  REQUIRE(in.good());
  std::map<std::pair<std::string, int>, SeedItem> items;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream cells(line);
    std::string type, number, name, group;
    std::getline(cells, type, '\t');
    std::getline(cells, number, '\t');
    std::getline(cells, name, '\t');
    std::getline(cells, group, '\t');
    items[{type, std::stoi(number)}] = {name, group};
  }
  return items;
}

template <class R>
void check_catalog(const std::string& type, std::size_t expected) {
  static const auto seed = load_seed();
  const auto& cat = catalog<R>();
  CHECK(cat.size() == expected);
  std::size_t in_seed = 0;
  for (const auto& entry : seed) in_seed += entry.first.first == type;
  CHECK(in_seed == expected);
  std::set<std::string_view> names, members;
  for (std::size_t i = 0; i < cat.size(); ++i) {
    const FieldInfo& f = cat[i];
    INFO(type << " item " << f.number << " " << f.ja);
    CHECK(f.number == i + 1);  // numbered 1..N without gaps
    auto it = seed.find({type, f.number});
    REQUIRE(it != seed.end());
    CHECK(f.ja == it->second.name);
    CHECK(f.group == it->second.group);
    CHECK_FALSE(f.en.empty());
    CHECK(names.insert(f.ja).second);  // Japanese names are unique wire keys
    CHECK(members.insert(f.en).second);
    if (f.kind == ValueKind::coded) CHECK(f.codes != CodeSetId::none);
    if (!f.unit.empty()) CHECK(f.kind == ValueKind::decimal);
  }
}
}  // namespace

TEST_CASE("drug catalog: 30 items of table 2.4-2", "[catalog]") { check_catalog<DrugRecord>("drug", 30); }
TEST_CASE("checkup catalog: 143 items of table 2.4-3", "[catalog]") { check_catalog<CheckupRecord>("checkup", 143); }
TEST_CASE("expense catalog: 6 items of table 2.4-4", "[catalog]") { check_catalog<MedicalExpenseRecord>("expense", 6); }

TEST_CASE("catalog access reaches distinct members of the right kind", "[catalog]") {
  CheckupRecord r;
  std::set<const void*> seen;
  for (const auto& f : catalog<CheckupRecord>()) {
    FieldRef ref = f.of(r);
    CHECK(ref.kind == f.kind);
    CHECK(seen.insert(ref.ptr).second);
  }
  REQUIRE(assign_wire_text(*find_field<CheckupRecord>(93), find_field<CheckupRecord>(93)->of(r), "1").ok());
  CHECK(r.basic.metabolic_syndrome.meaning() == "基準該当");
  REQUIRE(assign_wire_text(*find_field<CheckupRecord>(21), find_field<CheckupRecord>(21)->of(r), "100.5").ok());
  CHECK(r.basic.visceral_fat_area.to_string() == "100.5");
  CHECK(find_field<CheckupRecord>(21)->unit == "cm2");
  CHECK(find_field<CheckupRecord>(59)->unit == "mL/min/{1.73_m2}");
}

TEST_CASE("catalog facts used by exports", "[catalog]") {
  static_assert(catalogs::kCheckup[17].observation_code == "9N001000000000001");  // 身長, constexpr
  int coded = 0, with_code = 0;
  for (const auto& f : catalog<CheckupRecord>()) {
    coded += f.kind == ValueKind::coded;
    with_code += !f.observation_code.empty();
    if (!f.observation_code.empty()) CHECK(f.observation_code.size() == 17);
  }
  CHECK(with_code == 125);  // items 18–143 except 126 (保健指導の希望: no code in the eCheckup CodeSystem)
  CHECK(coded > 50);
  CHECK(find_field<DrugRecord>(23)->kind == ValueKind::code);
  CHECK(find_field<DrugRecord>(23)->format == CodeFormat::medicine_code);
  CHECK(find_field<MedicalExpenseRecord>(6)->kind == ValueKind::yen);
}

TEMPLATE_TEST_CASE("each coded member belongs to the code set its catalog row names", "[catalog]", DrugRecord,
                   CheckupRecord, MedicalExpenseRecord) {
  TestType record{};
  for (const auto& f : catalog<TestType>()) {
    if (f.kind != ValueKind::coded) continue;
    INFO(f.number << " " << f.ja);
    CHECK(static_cast<const Coded*>(f.of(record).ptr)->set() == f.codes);
    CHECK(code_set(f.codes).table_count > 0);
  }
}
