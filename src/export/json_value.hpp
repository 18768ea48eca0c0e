// A small ordered JSON tree for building FHIR resources (keys keep insertion order, as FHIR
// readers expect resourceType first) and writing them compact or indented. Strings are written
// as FHIR allows them: control characters other than tab, CR and LF as Control Pictures (␀).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace myna::internal {

class Json {
 public:
  Json() = default;                                                        ///< null
  Json(const char* text) : kind_(Kind::string), text_(text) {}             // NOLINT: implicit
  Json(std::string text) : kind_(Kind::string), text_(std::move(text)) {}  // NOLINT: implicit
  Json(std::string_view text) : kind_(Kind::string), text_(text) {}        // NOLINT: implicit
  static Json object() { return Json(Kind::object); }
  static Json array() { return Json(Kind::array); }
  /// A number written exactly as given (e.g. an exact decimal "5.60").
  static Json number(std::string text);
  static Json boolean(bool value);

  /// Adds a member (objects); returns *this for chaining.
  Json& set(std::string key, Json value);
  /// Appends an element (arrays); returns *this.
  Json& push(Json value);
  /// The member with this key (objects), nullptr when there is none.
  Json* find(std::string_view key) noexcept;
  bool empty() const noexcept { return members_.empty() && items_.empty(); }

  /// Appends the JSON text; indent < 0 writes it compact.
  void write(std::string& out, int indent = -1, int depth = 0) const;

 private:
  enum class Kind { null, string, raw, object, array };
  explicit Json(Kind kind) : kind_(kind) {}
  void write_object(std::string& out, int indent, int depth) const;
  void write_array(std::string& out, int indent, int depth) const;

  Kind kind_ = Kind::null;
  std::string text_;
  std::vector<std::pair<std::string, Json>> members_;
  std::vector<Json> items_;
};

/// A line break and indentation for the given depth (nothing when compact).
void newline(std::string& out, int indent, int depth);

}  // namespace myna::internal
