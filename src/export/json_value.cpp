#include "export/json_value.hpp"

#include "internal/json_string.hpp"

namespace myna::internal {
namespace {

bool is_fhir_forbidden(unsigned char c) { return c < 0x20 && c != '\t' && c != '\r' && c != '\n'; }

/// FHIR strings may not hold control characters other than tab, CR and LF: each is written as
/// its visible Control Picture (U+2400 + code: NUL → ␀), so nothing disappears.
void append_fhir_string(std::string& out, std::string_view text) {
  std::string shown;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (!is_fhir_forbidden(u)) {
      shown += c;
      continue;
    }
    shown += '\xE2';
    shown += static_cast<char>(0x90);
    shown += static_cast<char>(0x80 + u);
  }
  internal::append_json_string(out, shown);
}

}  // namespace

Json Json::number(std::string text) {
  Json j(Kind::raw);
  j.text_ = std::move(text);
  return j;
}

Json Json::boolean(bool value) { return number(value ? "true" : "false"); }

Json& Json::set(std::string key, Json value) {
  members_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Json* Json::find(std::string_view key) noexcept {
  for (auto& member : members_)
    if (member.first == key) return &member.second;
  return nullptr;
}

Json& Json::push(Json value) {
  items_.push_back(std::move(value));
  return *this;
}

void newline(std::string& out, int indent, int depth) {
  if (indent < 0) return;
  out += '\n';
  out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(depth), ' ');
}

void Json::write(std::string& out, int indent, int depth) const {
  switch (kind_) {
    case Kind::null: out += "null"; break;
    case Kind::string: append_fhir_string(out, text_); break;
    case Kind::raw: out += text_; break;
    case Kind::object: write_object(out, indent, depth); break;
    case Kind::array: write_array(out, indent, depth); break;
  }
}

void Json::write_object(std::string& out, int indent, int depth) const {
  out += '{';
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i) out += ',';
    newline(out, indent, depth + 1);
    internal::append_json_string(out, members_[i].first);
    out += indent < 0 ? ":" : ": ";
    members_[i].second.write(out, indent, depth + 1);
  }
  if (!members_.empty()) newline(out, indent, depth);
  out += '}';
}

void Json::write_array(std::string& out, int indent, int depth) const {
  out += '[';
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (i) out += ',';
    newline(out, indent, depth + 1);
    items_[i].write(out, indent, depth + 1);
  }
  if (!items_.empty()) newline(out, indent, depth);
  out += ']';
}

}  // namespace myna::internal
