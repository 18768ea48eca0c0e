// Shared text: the storage of Text and of the received text of every unparsed value.
#include <new>
#include <stdexcept>

#include "myna/records/values.hpp"

namespace myna {

// ---------------------------------------------------------------- shared text

namespace internal {
namespace {
constexpr std::size_t align8(std::size_t n) noexcept { return (n + 7) & ~std::size_t{7}; }
std::uint32_t checked_size(std::size_t n) {
  if (n >= TextRep::kExtended) throw std::length_error("myna::Text too long");
  return static_cast<std::uint32_t>(n);
}
}  // namespace

TextRep* make_text_rep(std::string_view text) {
  const std::uint32_t size = checked_size(text.size());
  void* mem = ::operator new(sizeof(TextRep) + text.size());
  auto* rep = new (mem) TextRep{{1}, size};
  if (!text.empty()) std::memcpy(reinterpret_cast<char*>(rep + 1), text.data(), text.size());
  return rep;
}

TextRep* make_extended_rep(std::string_view chars, const TextExtra& extra) {
  const std::uint32_t size = checked_size(chars.size());
  const std::size_t at = align8(sizeof(TextRep) + chars.size());
  void* mem = ::operator new(at + sizeof(TextExtra));
  auto* rep = new (mem) TextRep{{1}, size | TextRep::kExtended};
  if (!chars.empty()) std::memcpy(reinterpret_cast<char*>(rep + 1), chars.data(), chars.size());
  new (static_cast<char*>(mem) + at) TextExtra(extra);
  return rep;
}

const TextExtra* extra_of(const TextRep* rep) noexcept {
  const std::size_t at = align8(sizeof(TextRep) + rep->size());
  return reinterpret_cast<const TextExtra*>(reinterpret_cast<const char*>(rep) + at);
}

void free_text_rep(TextRep* rep) noexcept {
  if (rep->size_bits & TextRep::kExtended) {
    if (TextRep* original = extra_of(rep)->original) release(original);
  }
  rep->~TextRep();
  ::operator delete(rep);
}
}  // namespace internal

void ValueWord::set_unparsed(std::string_view text) { set_rep(internal::make_text_rep(text)); }

bool ValueWord::same_as(const ValueWord& other) const noexcept {
  if (is_pointer() && other.is_pointer()) return rep()->view() == other.rep()->view();
  return word_ == other.word_;
}

// ---------------------------------------------------------------- Text

Text::Text(std::string_view text) : rep_(internal::make_text_rep(text)) {}

Text Text::repaired(std::string_view value, std::string_view received, bool escapes) {
  internal::TextRep* original = internal::make_text_rep(received);
  return Text(internal::make_extended_rep(value, {original, 0, true, escapes}));
}

Text Text::unparsed(std::string_view received) {
  return Text(internal::make_extended_rep(received, {nullptr, 0, false, false}));
}

// Retaining before releasing makes self-assignment safe.
Text& Text::operator=(const Text& other) noexcept {  // NOLINT(bugprone-unhandled-self-assignment)
  if (other.rep_) internal::retain(other.rep_);
  if (rep_) internal::release(rep_);
  rep_ = other.rep_;
  return *this;
}

std::optional<std::string_view> Text::unparsed_text() const noexcept {
  if (state() != ValueState::unparsed) return std::nullopt;
  const internal::TextExtra* extra = internal::extra_of(rep_);
  return extra->original ? extra->original->view() : rep_->view();
}

bool Text::unparsed_has_escapes() const noexcept {
  return state() == ValueState::unparsed && internal::extra_of(rep_)->escapes;
}

bool operator==(const Text& a, const Text& b) noexcept {
  return a.state() == b.state() && a.view() == b.view() && a.unparsed_text() == b.unparsed_text();
}

}  // namespace myna
