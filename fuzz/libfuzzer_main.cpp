// libFuzzer entry point of one target program; MYNA_FUZZ_NAME names the target (CMake).
#include <cstdio>
#include <cstdlib>

#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const myna::fuzz::TargetFn target = [] {
    const auto fn = myna::fuzz::find_target(MYNA_FUZZ_NAME);
    if (!fn) {
      std::fprintf(stderr, "no fuzz target %s (have: %s)\n", MYNA_FUZZ_NAME, myna::fuzz::target_names().c_str());
      std::abort();
    }
    return fn;
  }();
  target(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
