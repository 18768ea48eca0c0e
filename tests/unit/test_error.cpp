#include <catch2/catch.hpp>

#include "myna/error.hpp"

using namespace myna;

TEST_CASE("Error::with_context prefixes the message and keeps every other field", "[error]") {
  DecodeLocation where;
  where.record_type = "薬剤情報";
  where.record_index = 3;
  where.item_number = 12;
  where.item_name = "医療機関(薬局)名称";
  const auto when = Error::Clock::time_point(std::chrono::seconds(1'700'000'000));
  Error cause = Error(ErrorCategory::maintenance, "the service is in a stop window")
                    .with_http_status(503)
                    .with_retry_after(when)
                    .with_service_code("E9001")
                    .with_location(where);

  const Error copy = Error(cause).with_context("result telegram TL-1");
  CHECK(copy.category() == ErrorCategory::maintenance);
  CHECK(copy.message() == "result telegram TL-1: the service is in a stop window");
  CHECK(copy.http_status() == 503);
  CHECK(copy.retry_after() == when);
  CHECK(copy.service_code() == "E9001");
  REQUIRE(copy.location());
  CHECK(copy.location()->item_number == 12);
  CHECK(copy.location()->record_index == 3);
  CHECK(copy.transient() == cause.transient());

  cause.with_context("outer").with_context("outermost");  // on an lvalue: in place
  CHECK(cause.message() == "outermost: outer: the service is in a stop window");
  CHECK(cause.http_status() == 503);
}
