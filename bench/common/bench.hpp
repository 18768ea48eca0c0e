// Shared bench helpers: FIGURE lines, timing, peak RSS, the --smoke switch.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

namespace bench {

/// One result line that bench/run collects: `FIGURE <name> <value> <unit>`.
inline void figure(const std::string& name, double value, const char* unit) {
  std::printf("FIGURE %s %.3f %s\n", name.c_str(), value, unit);
  std::fflush(stdout);
}

/// True when the program was started with --smoke (CI: run once on a tiny input).
inline bool smoke(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--smoke") == 0) return true;
  return false;
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Peak resident set size of this process so far, in MiB.
inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

/// Current resident set size in MiB (from /proc/self/statm).
inline double current_rss_mb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

}  // namespace bench
