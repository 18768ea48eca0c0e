#include "myna/records/catalog.hpp"

namespace myna {

std::string_view japanese_name(RecordType type) noexcept {
  switch (type) {
    case RecordType::drug: return "薬剤情報";
    case RecordType::checkup: return "特定健診情報";
    case RecordType::expense: return "医療費通知情報";
  }
  return "";
}

std::string_view english_name(RecordType type) noexcept {
  switch (type) {
    case RecordType::drug: return "drugs";
    case RecordType::checkup: return "checkups";
    case RecordType::expense: return "expenses";
  }
  return "";
}

const char* to_string(ValueKind kind) noexcept {
  switch (kind) {
    case ValueKind::text: return "text";
    case ValueKind::date: return "date";
    case ValueKind::year_month: return "year_month";
    case ValueKind::count: return "count";
    case ValueKind::yen: return "yen";
    case ValueKind::decimal: return "decimal";
    case ValueKind::code: return "code";
    case ValueKind::coded: return "coded";
  }
  return "?";
}

namespace {
template <class T>
const T& as(ConstFieldRef r) {
  return *static_cast<const T*>(r.ptr);
}
// ValueWord: the storage every kind but text shares (CodeString for codes).
template <class T>
T& as(FieldRef r) {
  return *static_cast<T*>(r.ptr);
}

template <class T>
bool try_store(std::optional<T> parsed, FieldRef ref) noexcept {
  if (!parsed) return false;
  as<T>(ref) = std::move(*parsed);
  return true;
}

template <class T>
Status store(Result<T> parsed, FieldRef ref) {
  if (!parsed) return std::move(parsed).error();
  as<T>(ref) = *parsed;
  return {};
}
}  // namespace

bool has_value(ConstFieldRef r) noexcept {
  switch (r.kind) {
    case ValueKind::text: return as<Text>(r).has_value();
    case ValueKind::coded: return as<Coded>(r).has_value();
    default: return as<ValueWord>(r).state() == ValueState::valid;
  }
}

ValueState state(ConstFieldRef r) noexcept {
  return r.kind == ValueKind::text ? as<Text>(r).state() : as<ValueWord>(r).state();
}

std::optional<std::string_view> unparsed_text(ConstFieldRef r) noexcept {
  return r.kind == ValueKind::text ? as<Text>(r).unparsed_text() : as<ValueWord>(r).unparsed_text();
}

std::string to_wire_text(ConstFieldRef r) {
  if (auto text = unparsed_text(r)) return std::string(*text);
  switch (r.kind) {
    case ValueKind::text: return as<Text>(r).str();
    case ValueKind::date: return as<Date>(r).to_wire();
    case ValueKind::year_month: return as<YearMonth>(r).to_wire();
    case ValueKind::count: return as<Count>(r).to_string();
    case ValueKind::yen: return as<Yen>(r).to_string();
    case ValueKind::decimal: return as<Decimal>(r).to_wire();
    case ValueKind::code: return as<CodeString>(r).str();
    case ValueKind::coded: return std::string(as<Coded>(r).code());
  }
  return {};
}

std::string to_display_text(ConstFieldRef r) {
  if (r.kind == ValueKind::text) return as<Text>(r).has_value() ? as<Text>(r).str() : to_wire_text(r);
  if (state(r) != ValueState::valid) return to_wire_text(r);
  switch (r.kind) {
    case ValueKind::date: return as<Date>(r).to_string();
    case ValueKind::year_month: return as<YearMonth>(r).to_string();
    case ValueKind::coded: {
      const Coded& c = as<Coded>(r);
      std::string s(c.code());
      if (auto m = c.meaning(); !m.empty()) s.append(" (").append(m).append(")");
      return s;
    }
    default: return to_wire_text(r);
  }
}

namespace {
std::optional<Decimal> parse_decimal(const FieldInfo& info, std::string_view text) noexcept {
  auto d = Decimal::try_parse(text);
  if (!d && info.comparator_allowed) d = Decimal::try_parse_with_comparator(text);
  return d;
}
}  // namespace

Status assign_wire_text(const FieldInfo& info, FieldRef r, std::string_view text) {
  switch (r.kind) {
    case ValueKind::text: as<Text>(r) = Text(text); return {};
    case ValueKind::date: return store(Date::parse(text), r);
    case ValueKind::year_month: return store(YearMonth::parse(text), r);
    case ValueKind::count: return store(Count::parse(text), r);
    case ValueKind::yen: return store(Yen::parse(text), r);
    case ValueKind::decimal:
      if (try_store(parse_decimal(info, text), r)) return {};
      return Decimal::parse(text).error();
    case ValueKind::code: return as<CodeString>(r).assign(info.format, text);
    case ValueKind::coded: return as<Coded>(r).assign(text);
  }
  return Error(ErrorCategory::validation, "unknown value kind");
}

bool try_assign_wire_text(const FieldInfo& info, FieldRef r, std::string_view text) {
  switch (r.kind) {
    case ValueKind::text: as<Text>(r) = Text(text); return true;
    case ValueKind::date: return try_store(Date::try_parse(text), r);
    case ValueKind::year_month: return try_store(YearMonth::try_parse(text), r);
    case ValueKind::count: return try_store(Count::try_parse(text), r);
    case ValueKind::yen: return try_store(Yen::try_parse(text), r);
    case ValueKind::decimal: return try_store(parse_decimal(info, text), r);
    case ValueKind::code: return as<CodeString>(r).try_assign(info.format, text);
    case ValueKind::coded: return as<Coded>(r).try_assign(text);
  }
  return false;
}

void assign_unparsed(FieldRef r, std::string_view text) {
  switch (r.kind) {
    case ValueKind::text: as<Text>(r) = Text::unparsed(text); break;
    case ValueKind::date: as<Date>(r) = Date::unparsed(text); break;
    case ValueKind::year_month: as<YearMonth>(r) = YearMonth::unparsed(text); break;
    case ValueKind::count: as<Count>(r) = Count::unparsed(text); break;
    case ValueKind::yen: as<Yen>(r) = Yen::unparsed(text); break;
    case ValueKind::decimal: as<Decimal>(r) = Decimal::unparsed(text); break;
    case ValueKind::code: as<CodeString>(r).assign_unparsed(text); break;
    case ValueKind::coded: as<Coded>(r).assign_unparsed(text); break;
  }
}

void clear(FieldRef r) noexcept {
  switch (r.kind) {
    case ValueKind::text: as<Text>(r) = Text(); break;
    case ValueKind::date: as<Date>(r) = Date(); break;
    case ValueKind::year_month: as<YearMonth>(r) = YearMonth(); break;
    case ValueKind::count: as<Count>(r) = Count(); break;
    case ValueKind::yen: as<Yen>(r) = Yen(); break;
    case ValueKind::decimal: as<Decimal>(r) = Decimal(); break;
    case ValueKind::code: as<CodeString>(r) = CodeString(); break;
    case ValueKind::coded: as<Coded>(r).clear(); break;
  }
}

bool equal(ConstFieldRef a, ConstFieldRef b) noexcept {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::text: return as<Text>(a) == as<Text>(b);
    case ValueKind::date: return as<Date>(a) == as<Date>(b);
    case ValueKind::year_month: return as<YearMonth>(a) == as<YearMonth>(b);
    case ValueKind::count: return as<Count>(a) == as<Count>(b);
    case ValueKind::yen: return as<Yen>(a) == as<Yen>(b);
    case ValueKind::decimal: return as<Decimal>(a) == as<Decimal>(b);
    case ValueKind::code: return as<CodeString>(a) == as<CodeString>(b);
    case ValueKind::coded: return as<Coded>(a) == as<Coded>(b);
  }
  return false;
}

}  // namespace myna
