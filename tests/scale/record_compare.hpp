// Compares record collections as multisets (a store may return them in another order):
// lost = expected records missing, duplicated = actual records beyond the expected ones.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "myna/records.hpp"

namespace myna::test {

/// Every item's number and wire text (absent items left out): equal iff records_equal.
template <class R>
std::string fingerprint(const R& record) {
  std::string out;
  for (const FieldInfo& f : catalog<R>()) {
    const ConstFieldRef ref = f.of(record);
    if (!has_value(ref)) continue;
    out += std::to_string(f.number) + '=' + to_wire_text(ref) + '\x1f';
  }
  return out;
}

struct Difference {
  std::size_t lost = 0, duplicated = 0;
  bool none() const noexcept { return lost == 0 && duplicated == 0; }
};

template <class R>
Difference compare_records(const std::vector<R>& expected, const std::vector<R>& actual) {
  std::vector<std::string> want, got;
  for (const R& r : expected) want.push_back(fingerprint(r));
  for (const R& r : actual) got.push_back(fingerprint(r));
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  std::vector<std::string> missing, extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
  return {missing.size(), extra.size()};
}

}  // namespace myna::test
