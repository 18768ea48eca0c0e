// Memory footprint of decoded records: what a held result costs in memory.
//   sizeof_<type>_record   bytes of one record struct
//   drug_records_1m_mb     live heap bytes (MiB) of 1 million drug records held in a
//                          std::vector: the vector plus the text they share. Counted exactly by
//                          replacing operator new/delete (malloc_usable_size of every live
//                          block), not estimated from RSS.
//   drug_records_1m_rss_mb the same, as resident-set growth (includes allocator slack)
// The records are decoded from one telegram per generated citizen, as a real retrieval
// returns them, so text is shared exactly as much as the decoder shares it.
// usage: footprint_bench [--smoke]
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <new>

#include "common/bench.hpp"
#include "decode/telegrams.hpp"

namespace {
std::atomic<std::size_t> g_live_bytes{0};

void* counted_alloc(std::size_t size) {
  void* p = std::malloc(size ? size : 1);
  if (!p) throw std::bad_alloc();
  g_live_bytes.fetch_add(malloc_usable_size(p), std::memory_order_relaxed);
  return p;
}

void counted_free(void* p) noexcept {
  if (!p) return;
  g_live_bytes.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

using namespace myna;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

/// Decodes citizens' telegrams until `count` drug records are held.
std::vector<DrugRecord> decode_drug_records(std::size_t count) {
  const Profile profile;
  std::vector<DrugRecord> held;
  held.reserve(count);
  for (std::size_t citizen = 0; held.size() < count; ++citizen) {
    const std::string body = bench::citizen_telegram<DrugRecord>(citizen, profile);
    auto decoded = codec::decode_result<DrugRecord>(body, profile);
    if (!decoded) {
      std::cerr << "footprint_bench: " << decoded.error() << '\n';
      std::exit(1);
    }
    for (DrugRecord& r : decoded->records)
      if (held.size() < count) held.push_back(std::move(r));
  }
  return held;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = bench::smoke(argc, argv) ? 2000 : 1000000;
  bench::figure("sizeof_drug_record", sizeof(DrugRecord), "bytes");
  bench::figure("sizeof_checkup_record", sizeof(CheckupRecord), "bytes");
  bench::figure("sizeof_expense_record", sizeof(MedicalExpenseRecord), "bytes");

  const std::size_t live_before = g_live_bytes.load();
  const double rss_before = bench::current_rss_mb();
  std::vector<DrugRecord> held = decode_drug_records(count);
  const double heap = static_cast<double>(g_live_bytes.load() - live_before);
  const double rss = bench::current_rss_mb() - rss_before;
  const double scale = 1000000.0 / static_cast<double>(held.size());  // smoke: extrapolated

  std::printf("# %zu drug records held; vector %.1f MiB, shared text %.1f MiB\n", held.size(),
              static_cast<double>(held.capacity() * sizeof(DrugRecord)) / kMiB,
              (heap - static_cast<double>(held.capacity() * sizeof(DrugRecord))) / kMiB);
  bench::figure("drug_records_1m_mb", heap * scale / kMiB, "MB");
  bench::figure("drug_records_1m_rss_mb", rss * scale, "MB");
  bench::figure("drug_record_heap_bytes", heap / static_cast<double>(held.size()), "bytes");
  return 0;
}
