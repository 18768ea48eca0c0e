// The service's side of the inquiryCondition: a Query read back from the filter string that
// Query::to_filter writes (the sandbox, the tests and the fuzz targets; internal header).
#pragma once

#include <string>
#include <string_view>

#include "myna/query/query.hpp"

namespace myna::internal {

/// Matches the filter against profile.filter_template, literal by literal, reading the
/// placeholders {type}, {from} and {to}; a validation error when it does not follow it.
inline Result<Query> query_from_filter(const Profile& profile, std::string_view filter) {
  auto invalid = [](const char* what) { return Error(ErrorCategory::validation, what); };
  std::string_view tpl = profile.filter_template;
  std::string type_text, from_text, to_text;
  std::size_t f = 0;
  while (!tpl.empty()) {
    if (tpl.front() != '{') {
      if (f >= filter.size() || filter[f] != tpl.front())
        return invalid("inquiryCondition does not follow the profile's filter template");
      ++f, tpl.remove_prefix(1);
      continue;
    }
    auto close = tpl.find('}');
    if (close == std::string_view::npos) return invalid("filter template has an unclosed placeholder");
    std::string_view name = tpl.substr(1, close - 1);
    tpl.remove_prefix(close + 1);
    char stop = tpl.empty() ? '\0' : tpl.front();
    std::size_t end = f;
    while (end < filter.size() && filter[end] != stop) ++end;
    std::string value(filter.substr(f, end - f));
    f = end;
    if (name == "type")
      type_text = value;
    else if (name == "from")
      from_text = value;
    else if (name == "to")
      to_text = value;
    else
      return invalid("filter template has an unknown placeholder");
  }
  if (f != filter.size()) return invalid("inquiryCondition has trailing characters");
  if (type_text != "1" && type_text != "2" && type_text != "3")
    return invalid("inquiryCondition names no known information type (1, 2 or 3)");
  return make_query(static_cast<RecordType>(type_text[0] - '0'), from_text, to_text);
}

}  // namespace myna::internal
