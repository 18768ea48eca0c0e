// What this process holds right now (Linux /proc): resident memory, open file descriptors,
// threads; and the peak resident memory since a reset. For leak and bounded-memory checks.
#pragma once

#include <dirent.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

namespace myna::test {

/// True in an AddressSanitizer or ThreadSanitizer build. The allocator is then the sanitizer's:
/// freed blocks wait in a quarantine, mallinfo2 does not see them, shadow memory counts in the
/// RSS. Memory bounds are loosened by kMemoryBoundFactor there; leaks are LeakSanitizer's job.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizedHeap = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizedHeap = true;
#else
inline constexpr bool kSanitizedHeap = false;
#endif
#else
inline constexpr bool kSanitizedHeap = false;
#endif
inline constexpr double kMemoryBoundFactor = kSanitizedHeap ? 2.0 : 1.0;

/// Entries of a /proc directory, without "." and ".." (and the directory's own fd).
inline long count_entries(const char* dir, bool minus_own_fd = false) {
  DIR* d = ::opendir(dir);
  if (!d) return -1;
  long n = 0;
  while (dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
  ::closedir(d);
  return minus_own_fd ? n - 1 : n;
}

inline long open_fds() { return count_entries("/proc/self/fd", true); }
inline long thread_count() { return count_entries("/proc/self/task"); }

/// A "Vm…:  123 kB" line of /proc/self/status, in bytes (-1 if absent).
inline long long status_bytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stoll(line.substr(prefix.size())) * 1024;
  return -1;
}

inline long long rss_bytes() { return status_bytes("VmRSS"); }

/// Resets the peak (VmHWM) to the current RSS; false when the kernel does not allow it.
inline bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}
inline long long peak_rss_bytes() { return status_bytes("VmHWM"); }

/// Gives freed heap back to the kernel so that RSS reflects live memory only.
inline void trim_heap() { ::malloc_trim(0); }

/// Bytes the program has allocated and not freed (all malloc arenas, mmapped blocks included).
inline long long heap_in_use() {
  const struct mallinfo2 m = ::mallinfo2();
  return static_cast<long long>(m.uordblks + m.hblkhd);
}

/// A snapshot of what the process holds.
struct Usage {
  long long rss = 0;
  long long heap = 0;
  long fds = 0;
  long threads = 0;

  static Usage now() {
    trim_heap();
    return {rss_bytes(), heap_in_use(), open_fds(), thread_count()};
  }
};

/// Waits (up to timeout) until fds and threads are back to at most the baseline: exiting
/// threads and closing sockets may lag a join or a stop() by a moment.
inline Usage settle(const Usage& baseline, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  Usage u = Usage::now();
  while ((u.fds > baseline.fds || u.threads > baseline.threads) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    u = Usage::now();
  }
  return u;
}

inline double mib(long long bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace myna::test
