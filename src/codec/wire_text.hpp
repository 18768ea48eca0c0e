// Wire text of a field without heap allocation (internal; used by the encoders).
#pragma once

#include <cstdio>
#include <string_view>

#include "myna/records/catalog.hpp"

namespace myna::internal {

struct WireBuffer {
  char chars[48];
};

/// The field's value in wire format; the view points into the record or into buf.
inline std::string_view wire_text(ConstFieldRef ref, WireBuffer& buf) {
  auto fmt = [&](const char* f, auto... args) {
    int n = std::snprintf(buf.chars, sizeof buf.chars, f, args...);
    return std::string_view(buf.chars, n > 0 ? static_cast<std::size_t>(n) : 0);
  };
  switch (ref.kind) {
    case ValueKind::text: return static_cast<const Text*>(ref.ptr)->view();
    case ValueKind::date: return fmt("%08u", static_cast<unsigned>(static_cast<const Date*>(ref.ptr)->yyyymmdd()));
    case ValueKind::year_month:
      return fmt("%06u", static_cast<unsigned>(static_cast<const YearMonth*>(ref.ptr)->yyyymm()));
    case ValueKind::count: return fmt("%d", static_cast<int>(static_cast<const Count*>(ref.ptr)->value()));
    case ValueKind::yen: return fmt("%lld", static_cast<long long>(static_cast<const Yen*>(ref.ptr)->amount()));
    case ValueKind::code: return static_cast<const CodeString*>(ref.ptr)->view();
    case ValueKind::coded: return static_cast<const Coded*>(ref.ptr)->code();
    case ValueKind::decimal: {
      std::string s = static_cast<const Decimal*>(ref.ptr)->to_string();
      std::size_t n = s.copy(buf.chars, sizeof buf.chars);
      return std::string_view(buf.chars, n);
    }
  }
  return {};
}

}  // namespace myna::internal
