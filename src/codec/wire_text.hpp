// Wire text of a field without heap allocation (internal; used by the encoders).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "myna/records/catalog.hpp"

namespace myna::internal {

struct WireBuffer {
  char chars[48];
};

/// The field's text as received: a valid value in its received form, an unparsed value's
/// received text (for repaired text the received bytes). The view points into the record
/// or into buf.
inline std::string_view wire_text(ConstFieldRef ref, WireBuffer& buf) {
  auto fmt = [&](const char* f, auto... args) {
    int n = std::snprintf(buf.chars, sizeof buf.chars, f, args...);
    return std::string_view(buf.chars, n > 0 ? static_cast<std::size_t>(n) : 0);
  };
  auto copy = [&](const std::string& s) { return std::string_view(buf.chars, s.copy(buf.chars, sizeof buf.chars)); };
  if (auto text = unparsed_text(ref)) return *text;
  switch (ref.kind) {
    case ValueKind::text: return static_cast<const Text*>(ref.ptr)->view();
    case ValueKind::date: {
      const auto& d = *static_cast<const Date*>(ref.ptr);
      return d.iso_form() ? copy(d.to_string()) : fmt("%08u", static_cast<unsigned>(d.yyyymmdd()));
    }
    case ValueKind::year_month: {
      const auto& m = *static_cast<const YearMonth*>(ref.ptr);
      return m.iso_form() ? copy(m.to_string()) : fmt("%06u", static_cast<unsigned>(m.yyyymm()));
    }
    case ValueKind::count: return copy(static_cast<const Count*>(ref.ptr)->to_string());
    case ValueKind::yen: return copy(static_cast<const Yen*>(ref.ptr)->to_string());
    case ValueKind::code: return copy(static_cast<const CodeString*>(ref.ptr)->str());
    case ValueKind::coded: return static_cast<const Coded*>(ref.ptr)->code();
    case ValueKind::decimal: return copy(static_cast<const Decimal*>(ref.ptr)->to_wire());
  }
  return {};
}

}  // namespace myna::internal
