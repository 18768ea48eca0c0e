// Test helpers: records filled through the catalogs (every field, or a sparse subset).
#pragma once

#include <string>

#include "myna/records.hpp"

namespace myna::test {

/// A valid wire text for a field, varied by salt.
inline std::string sample_wire_text(const FieldInfo& f, int salt) {
  auto digits = [&](std::size_t n) {
    std::string s(n, '0');
    for (std::size_t i = 1; i < n; ++i) s[i] = static_cast<char>('0' + (salt + static_cast<int>(i) + f.number) % 10);
    return s;  // leading zero on purpose: it must survive
  };
  switch (f.kind) {
    case ValueKind::text:
      return "テスト値" + std::to_string(f.number) + "-" + std::to_string(salt) + " \"quote\" \\ tab\t";
    case ValueKind::date: return "2024" + std::string(salt % 2 ? "02" : "12") + "2" + std::to_string(salt % 9);
    case ValueKind::year_month: return "20240" + std::to_string(1 + salt % 9);
    case ValueKind::count: return std::to_string(salt % 97);
    case ValueKind::yen: return std::to_string(1000 + salt * 37);
    case ValueKind::decimal: return salt % 3 == 0 ? "0" : std::to_string(salt % 200) + ".60";
    case ValueKind::code:
      switch (f.format) {
        case CodeFormat::institution_code: return digits(10);
        case CodeFormat::insurer_number: return salt % 2 ? digits(8) : digits(6);
        case CodeFormat::medicine_code: return digits(9);
        case CodeFormat::price_list_code: return digits(7) + "F1020";
        case CodeFormat::branch_number: return digits(2);
      }
      break;
    case ValueKind::coded: {
      const CodeSet& set = code_set(f.codes);
      const CodeTable& table = set.tables[set.table_count - 1];
      return std::string(table.entries[static_cast<std::size_t>(salt) % table.size].code);
    }
  }
  return {};
}

/// Sets every field (keep_every == 1) or every keep_every-th field.
template <class R>
R filled(int salt, int keep_every = 1) {
  R record{};
  for (const auto& f : catalog<R>()) {
    if ((f.number + salt) % keep_every != 0) continue;
    auto st = assign_wire_text(f, f.of(record), sample_wire_text(f, salt));
    if (!st) throw Exception(st.error());
  }
  return record;
}

}  // namespace myna::test
