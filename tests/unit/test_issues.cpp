// Issues of a record and their counts: compact when empty, deep copies, stable kind names.
#include <catch2/catch.hpp>
#include <sstream>

#include "myna/records/issues.hpp"

using namespace myna;

TEST_CASE("issue kinds have stable names that read back", "[issues]") {
  for (std::size_t i = 0; i < kIssueKindCount; ++i) {
    const auto kind = static_cast<IssueKind>(i);
    REQUIRE(std::string(to_string(kind)) != "?");
    REQUIRE(issue_kind_from_string(to_string(kind)) == kind);
  }
  CHECK(std::string(to_string(IssueKind::unknown_code)) == "unknown_code");
  CHECK_FALSE(issue_kind_from_string("no_such_kind"));
}

TEST_CASE("Issues costs one pointer and allocates only when an issue is added", "[issues]") {
  STATIC_REQUIRE(sizeof(Issues) == sizeof(void*));
  Issues none;
  CHECK(none.empty());
  CHECK(none.begin() == none.end());
  CHECK(none.extra_count() == 0);

  Issues some;
  some.add({117, "喫煙", IssueKind::unknown_code});
  some.add({26, "使用量", IssueKind::out_of_range});
  some.add_extra({0, Text("未知の項目"), Text("x")});
  CHECK(some.size() == 2);
  CHECK(some.has(IssueKind::unknown_code));
  CHECK(some.has(IssueKind::unknown_code, 117));
  CHECK_FALSE(some.has(IssueKind::unknown_code, 26));
  CHECK(some.mentions(26));
  CHECK_FALSE(some.mentions(1));
  REQUIRE(some.extra_count() == 1);
  CHECK(some.extra_begin()->key == "未知の項目");
}

TEST_CASE("Issues copies are deep and compare by content", "[issues]") {
  Issues a;
  a.add({10, "年齢", IssueKind::unparsed_value});
  Issues b = a;
  CHECK(a == b);
  b.add({11, "男女区分1", IssueKind::unknown_code});
  CHECK(a != b);
  CHECK(a.size() == 1);
  a = b;
  CHECK(a == b);
  a.clear();
  CHECK(a.empty());
  CHECK(b.size() == 2);
}

TEST_CASE("IssueCounts adds per kind and prints kinds with a count only", "[issues]") {
  Issues issues;
  issues.add({1, "x", IssueKind::unparsed_value});
  issues.add({2, "y", IssueKind::unparsed_value});
  issues.add({3, "z", IssueKind::text_repaired});
  IssueCounts counts;
  CHECK(counts.empty());
  std::ostringstream empty_text;
  empty_text << counts;
  CHECK(empty_text.str() == "none");
  counts.add(issues);
  CHECK(counts.count(IssueKind::unparsed_value) == 2);
  CHECK(counts.count(IssueKind::text_repaired) == 1);
  CHECK(counts.total() == 3);
  IssueCounts more;
  more.add(IssueKind::unknown_item, 4);
  counts += more;
  CHECK(counts.total() == 7);
  std::ostringstream text;
  text << counts;
  CHECK(text.str() == "unparsed_value=2 text_repaired=1 unknown_item=4");
}

TEST_CASE("printed issues name item and kind, never a value", "[issues]") {
  Issues issues;
  issues.add({117, "喫煙", IssueKind::unknown_code});
  issues.add_extra({117, Text("喫煙"), Text("SECRET-VALUE")});
  std::ostringstream text;
  text << issues;
  CHECK(text.str() == "item 117 喫煙: unknown_code");
  CHECK(text.str().find("SECRET-VALUE") == std::string::npos);
}
