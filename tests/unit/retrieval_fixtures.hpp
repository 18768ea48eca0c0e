// Shared by the retrieval store tests (memory, file: tests/unit; PostgreSQL: tests/scale), which
// check the same RetrievalStore contract.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "myna/process/retrieval.hpp"

namespace myna::test {

/// A checkup retrieval for 2024 (the citizen key has characters that need escaping).
inline Retrieval retrieval(const std::string& telegram_id, const std::string& citizen = "市民-\"1\"") {
  Retrieval r;
  r.telegram_id = telegram_id;
  r.citizen = citizen;
  r.type = RecordType::checkup;
  r.from = Date::parse("20240101").value();
  r.to = Date::parse("20241231").value();
  return r;
}

inline RetrievalState state_of(RetrievalStore& store, const std::string& id) { return store.find(id)->value().state; }

/// Runs fn on n threads released together; returns how many returned true.
template <class Fn>
int race(int n, Fn fn) {
  std::atomic<int> ready{0}, wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      ++ready;
      while (ready < n) std::this_thread::yield();
      if (fn(i)) ++wins;
    });
  for (auto& t : threads) t.join();
  return wins;
}

}  // namespace myna::test
