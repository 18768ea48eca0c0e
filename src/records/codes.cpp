// Code strings, coded answers and the code tables (generated from
// tools/code_tables/code_tables.json into code_tables.inc).
#include <array>
#include <cstdint>
#include <ostream>

#include "internal/text.hpp"
#include "myna/records/values.hpp"

namespace myna {
namespace {

#include "code_tables.inc"

Error invalid(std::string what) { return Error(ErrorCategory::validation, std::move(what)); }

// ---------------------------------------------------------------- code strings
// A valid code is at most 12 characters of 0-9 A-Z, packed base 37 (0 ends the code):
// 37^12 < 2^63, so it fits the 63 bits beside the tag.

constexpr std::size_t kMaxCodeChars = 12;

// The base-37 digit of every byte: '0'-'9' 1-10, 'A'-'Z' 11-36, 0 for any other byte.
constexpr std::array<std::uint8_t, 256> kCodeDigits = [] {
  std::array<std::uint8_t, 256> digits{};
  for (int c = '0'; c <= '9'; ++c) digits[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0' + 1);
  for (int c = 'A'; c <= 'Z'; ++c) digits[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'A' + 11);
  return digits;
}();

char code_char(unsigned digit) noexcept {
  return digit <= 10 ? static_cast<char>('0' + digit - 1) : static_cast<char>('A' + digit - 11);
}

bool price_list_chars(std::string_view text) noexcept {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

bool code_length_ok(CodeFormat format, std::size_t size) noexcept {
  switch (format) {
    case CodeFormat::institution_code: return size == 10;
    case CodeFormat::insurer_number: return size == 6 || size == 8;
    case CodeFormat::medicine_code: return size == 9;
    case CodeFormat::branch_number: return size == 2;
    case CodeFormat::price_list_code: return size == 12;
  }
  return false;
}

bool code_chars_ok(CodeFormat format, std::string_view text) noexcept {
  return format == CodeFormat::price_list_code ? price_list_chars(text) : internal::all_digits(text);
}

// The fast yes/no of check_code (decoders call this per value; messages only on failure).
bool valid_code(CodeFormat format, std::string_view text) noexcept {
  return code_length_ok(format, text.size()) && code_chars_ok(format, text);
}

}  // namespace

const char* describe(CodeFormat format) noexcept {
  switch (format) {
    case CodeFormat::institution_code: return "10 digits";
    case CodeFormat::insurer_number: return "6 or 8 digits";
    case CodeFormat::medicine_code: return "9 digits";
    case CodeFormat::price_list_code: return "12 characters 0-9 A-Z";
    case CodeFormat::branch_number: return "2 digits";
  }
  return "?";
}

std::string check_code(CodeFormat format, std::string_view text) {
  if (valid_code(format, text)) return {};
  auto fail = [&](const char* what) { return std::string("code ") + what + " (expected " + describe(format) + ")"; };
  if (std::string_view(describe(format)) == "?") return fail("has an unknown format");
  if (!code_length_ok(format, text.size())) return fail("has the wrong length");
  return fail(format == CodeFormat::price_list_code ? "has a character outside 0-9 A-Z" : "is not all digits");
}

// valid_code() and the packing in one pass (decoders call this per value).
bool CodeString::try_assign(CodeFormat format, std::string_view text) noexcept {
  if (!code_length_ok(format, text.size()) || text.size() > kMaxCodeChars) return false;
  const unsigned max_digit = format == CodeFormat::price_list_code ? 36 : 10;  // 0-9 A-Z, or 0-9
  std::uint64_t packed = 0;
  for (std::size_t i = text.size(); i-- > 0;) {
    const unsigned digit = kCodeDigits[static_cast<unsigned char>(text[i])];
    if (digit == 0 || digit > max_digit) return false;
    packed = packed * 37 + digit;
  }
  set_packed(packed);
  return true;
}

Status CodeString::assign(CodeFormat format, std::string_view text) {
  if (try_assign(format, text)) return {};
  return invalid(check_code(format, text));
}

std::string CodeString::str() const {
  if (auto text = unparsed_text()) return std::string(*text);
  std::string out;
  for (std::uint64_t packed = has_value() ? payload() : 0; packed != 0; packed /= 37)
    out.push_back(code_char(static_cast<unsigned>(packed % 37)));
  return out;
}

// ---------------------------------------------------------------- code sets

CodePeriod code_period(const Date& checkup_date) noexcept {
  if (!checkup_date.has_value()) return CodePeriod::unknown;
  return checkup_date.yyyymmdd() < 20240401 ? CodePeriod::before_2024_04 : CodePeriod::from_2024_04;
}

const CodeSet& code_set(CodeSetId id) noexcept {
  const auto index = static_cast<std::size_t>(id);
  return index < std::size(kSets) ? kSets[index] : kSets[0];
}

const CodeTable* CodeSet::table(CodePeriod period) const noexcept {
  if (table_count == 1) return tables;
  for (std::size_t i = 0; i < table_count; ++i)
    if (tables[i].period == period && period != CodePeriod::unknown) return &tables[i];
  return nullptr;
}

namespace {
const CodeMeaning* find_code(const CodeTable& table, std::string_view code) noexcept {
  for (std::size_t i = 0; i < table.size; ++i)
    if (table.entries[i].code == code) return &table.entries[i];
  return nullptr;
}
}  // namespace

// A set without periods, or a known period: that table. An unknown period: the meaning all
// tables agree on; where they disagree (or only some list the code) the code is ambiguous.
CodeLookup CodeSet::lookup(std::string_view code, CodePeriod period) const noexcept {
  CodeLookup out;
  if (const CodeTable* t = table(period)) {
    if (const CodeMeaning* m = find_code(*t, code))
      out = {true, false, m->meaning, m->meaning.empty() ? "" : t->system};
    return out;
  }
  const CodeMeaning* first = nullptr;
  std::string_view system;
  for (std::size_t i = 0; i < table_count; ++i) {
    const CodeMeaning* m = find_code(tables[i], code);
    out.known = out.known || m;
    if (!m || (first && first->meaning != m->meaning)) out.ambiguous = true;
    if (m && !first) first = m, system = tables[i].system;
    if (m && system != tables[i].system) system = {};
  }
  if (out.ambiguous || !first) return out;
  out.meaning = first->meaning;
  out.system = first->meaning.empty() ? std::string_view() : system;
  return out;
}

// ---------------------------------------------------------------- Coded

unsigned char Coded::byte(std::size_t i) const noexcept {
  unsigned char bytes[sizeof word_];
  std::memcpy(bytes, &word_, sizeof word_);
  return bytes[i];
}

std::string_view Coded::code() const noexcept {
  if (!has_value()) return {};
  return {reinterpret_cast<const char*>(&word_) + kCodeByte, static_cast<std::size_t>(byte(2) >> 2 & 3)};
}

CodeSetId Coded::set() const noexcept {
  if (has_value()) return static_cast<CodeSetId>(byte(1));
  if (is_pointer()) {
    const internal::TextRep* r = rep();
    return (r->size_bits & internal::TextRep::kExtended) ? static_cast<CodeSetId>(internal::extra_of(r)->set)
                                                         : CodeSetId::none;
  }
  return static_cast<CodeSetId>(word_ >> 1 & 0xFF);
}

CodePeriod Coded::period() const noexcept {
  return has_value() ? static_cast<CodePeriod>(byte(2) & 3) : CodePeriod::unknown;
}

CodeLookup Coded::lookup() const noexcept {
  if (!has_value()) return {};
  return code_set(set()).lookup(code(), period());
}

bool Coded::try_assign(std::string_view text) noexcept {
  if (text.empty() || text.size() > 3 || !internal::all_digits(text)) return false;
  const CodeSetId s = set();
  unsigned char bytes[sizeof word_] = {};
  bytes[1] = static_cast<unsigned char>(s);
  bytes[2] = static_cast<unsigned char>(text.size() << 2);
  std::memcpy(bytes + kCodeByte, text.data(), text.size());
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  drop();
  word_ = word | 1;
  return true;
}

Status Coded::assign(std::string_view text) {
  if (try_assign(text)) return {};
  return invalid("code is not 1-3 digits (" + std::string(code_set(set()).name) + ")");
}

void Coded::assign_unparsed(std::string_view text) {
  const auto s = static_cast<std::uint8_t>(set());
  set_rep(internal::make_extended_rep(text, {nullptr, s, false, false}));
}

void Coded::set_period(CodePeriod period) noexcept {
  if (!has_value()) return;
  unsigned char bytes[sizeof word_];
  std::memcpy(bytes, &word_, sizeof word_);
  bytes[2] = static_cast<unsigned char>((bytes[2] & ~3u) | static_cast<unsigned>(period));
  std::memcpy(&word_, bytes, sizeof word_);
}

std::ostream& operator<<(std::ostream& os, const CodeString& v) {
  return v.is_absent() ? os << "(absent)" : os << v.str();
}
std::ostream& operator<<(std::ostream& os, const Coded& v) {
  if (v.is_absent()) return os << "(absent)";
  if (auto text = v.unparsed_text()) return os << *text;
  os << v.code();
  if (auto m = v.meaning(); !m.empty()) os << " (" << m << ")";
  return os;
}

}  // namespace myna
