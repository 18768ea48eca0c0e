// Splits a query string or form body into decoded name → value pairs (test helper).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "myna/auth/consent.hpp"

namespace myna::test {

inline std::map<std::string, std::string> decode_form(std::string_view form) {
  if (const auto q = form.find('?'); q != std::string_view::npos) form.remove_prefix(q + 1);
  std::map<std::string, std::string> out;
  while (!form.empty()) {
    const std::string_view pair = form.substr(0, form.find('&'));
    form.remove_prefix(pair.size() == form.size() ? form.size() : pair.size() + 1);
    const auto eq = pair.find('=');
    out[url_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
  }
  return out;
}

}  // namespace myna::test
