#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>
#include <unordered_set>

#include "myna/process/telegram_id.hpp"

using namespace myna;
using std::chrono::seconds;
using SysClock = std::chrono::system_clock;

namespace {

// 2026-01-01T00:30:00Z = 2026-01-01 09:30:00 JST
const SysClock::time_point kT0 = SysClock::time_point(seconds(1'767'225'600 + 1800));

struct SharedClock {
  std::shared_ptr<std::atomic<std::int64_t>> offset = std::make_shared<std::atomic<std::int64_t>>(0);
  TelegramIdGenerator::Clock fn() const {
    auto o = offset;
    return [o] { return kT0 + seconds(o->load()); };
  }
};

TelegramIdGenerator make(unsigned instance = 0, unsigned count = 1, TelegramIdGenerator::Clock clock = {}) {
  auto g = TelegramIdGenerator::create("00000086", instance, count, std::move(clock));
  REQUIRE(g.ok());
  return std::move(g).value();
}

unsigned sequence_of(const std::string& id) { return static_cast<unsigned>(std::stoul(id.substr(25))); }
std::string time_of(const std::string& id) { return id.substr(12, 12); }

}  // namespace

TEST_CASE("telegram id: shape and JST time", "[telegram]") {
  SharedClock clock;
  auto g = make(0, 1, clock.fn());
  const std::string id = g.next();
  CHECK(id == "TL-00000086-260101093000-0000");
  CHECK(id.size() == 29);
  CHECK(TelegramIdGenerator::well_formed(id));
  CHECK(g.next() == "TL-00000086-260101093000-0001");

  // 2025-12-31T15:00:00Z is already 2026-01-01 in Japan.
  auto midnight = make(0, 1, [] { return SysClock::time_point(seconds(1'767'193'200)); });
  CHECK(midnight.next() == "TL-00000086-260101000000-0000");
}

TEST_CASE("telegram id: create validates its arguments", "[telegram]") {
  CHECK_FALSE(TelegramIdGenerator::create("0000008").ok());
  CHECK_FALSE(TelegramIdGenerator::create("000000860").ok());
  CHECK_FALSE(TelegramIdGenerator::create("0000008a").ok());
  CHECK_FALSE(TelegramIdGenerator::create("00000086", 1, 1).ok());
  CHECK_FALSE(TelegramIdGenerator::create("00000086", 0, 0).ok());
  CHECK_FALSE(TelegramIdGenerator::create("00000086", 0, 10001).ok());
  auto bad = TelegramIdGenerator::create("x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().category() == ErrorCategory::validation);
  CHECK(TelegramIdGenerator::create("12345678", 2, 3).ok());
}

TEST_CASE("telegram id: well_formed", "[telegram]") {
  CHECK(TelegramIdGenerator::well_formed("TL-00000086-240229235959-9999"));        // leap day
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-230229000000-0001"));  // no leap day
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-261301000000-0001"));  // month 13
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-260100000000-0001"));  // day 0
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-260101240000-0001"));  // hour 24
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-260101006000-0001"));  // minute 60
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-260101000060-0001"));  // second 60
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-0000086-260101000000-00001"));
  CHECK_FALSE(TelegramIdGenerator::well_formed("TX-00000086-260101000000-0001"));
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-260101000000-001"));
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086-260101000000-00a1"));
  CHECK_FALSE(TelegramIdGenerator::well_formed("TL-00000086_260101000000-0001"));
  CHECK_FALSE(TelegramIdGenerator::well_formed(""));
}

TEST_CASE("telegram id: unique across 8 threads x 5000 ids", "[telegram][threads]") {
  for (bool real_clock : {true, false}) {
    SharedClock fixed;
    auto g = real_clock ? make() : make(0, 1, fixed.fn());
    std::vector<std::vector<std::string>> per_thread(8);
    std::vector<std::thread> threads;
    for (auto& out : per_thread)
      threads.emplace_back([&g, &out] {
        out.reserve(5000);
        for (int i = 0; i < 5000; ++i) out.push_back(g.next());
      });
    for (auto& t : threads) t.join();
    std::unordered_set<std::string> all;
    bool shapes_ok = true;
    for (const auto& out : per_thread)
      for (const auto& id : out) {
        all.insert(id);
        shapes_ok = shapes_ok && TelegramIdGenerator::well_formed(id);
      }
    INFO("real clock: " << real_clock);
    CHECK(all.size() == 40000);
    CHECK(shapes_ok);
  }
}

TEST_CASE("telegram id: 3 instances sharing one clock never collide", "[telegram]") {
  SharedClock clock;
  std::vector<TelegramIdGenerator> generators;
  for (unsigned i = 0; i < 3; ++i) generators.push_back(make(i, 3, clock.fn()));
  std::set<std::string> all;
  for (int round = 0; round < 5000; ++round)
    for (unsigned i = 0; i < 3; ++i) {
      const std::string id = generators[i].next();
      CHECK(sequence_of(id) % 3 == i);
      all.insert(id);
    }
  CHECK(all.size() == 15000);  // 3334 ids per instance per second: rolls over into later seconds
}

TEST_CASE("telegram id: a used-up second continues in the next one", "[telegram]") {
  SharedClock clock;
  auto g = make(0, 1, clock.fn());
  std::string last;
  for (int i = 0; i < 10000; ++i) last = g.next();
  CHECK(last == "TL-00000086-260101093000-9999");
  CHECK(g.next() == "TL-00000086-260101093001-0000");  // ahead of the clock
  clock.offset->store(1);                              // the clock catches up: that second's sequence continues
  CHECK(g.next() == "TL-00000086-260101093001-0001");
  clock.offset->store(5);
  CHECK(g.next() == "TL-00000086-260101093005-0000");

  auto third = make(2, 3, clock.fn());
  std::string id;
  for (int i = 0; i < 3333; ++i) id = third.next();  // 2, 5, ..., 9998
  CHECK(sequence_of(id) == 9998);
  const std::string next = third.next();
  CHECK(time_of(next) == "260101093006");
  CHECK(sequence_of(next) == 2);
}

TEST_CASE("telegram id: the clock going backwards never repeats an id", "[telegram]") {
  SharedClock clock;
  clock.offset->store(100);
  auto g = make(0, 1, clock.fn());
  std::set<std::string> all;
  for (int i = 0; i < 10; ++i) all.insert(g.next());
  clock.offset->store(0);  // 100 s back (e.g. an NTP step)
  for (int i = 0; i < 20000; ++i) all.insert(g.next());
  CHECK(all.size() == 20010);
  clock.offset->store(102);
  const std::string later = g.next();
  CHECK(all.count(later) == 0);
  CHECK(time_of(later) == "260101093142");  // the generator was already at 09:31:42 (100 + 2 s)
}

TEST_CASE("telegram id: generators can be moved", "[telegram]") {
  SharedClock clock;
  auto g = make(0, 1, clock.fn());
  const std::string first = g.next();
  TelegramIdGenerator moved = std::move(g);
  CHECK(moved.next() != first);
}
