#include "export/json_value.hpp"

#include "internal/json_string.hpp"

namespace myna::internal {

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
    case Kind::string: internal::append_json_string(out, text_); break;
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
