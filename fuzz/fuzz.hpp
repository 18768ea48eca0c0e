// Shared pieces of the fuzz targets (docs/fuzzing.md). Each target is a function registered
// by name; the same sources build two ways:
//  - libFuzzer (fuzz/CMakeLists.txt): one program per target, LLVMFuzzerTestOneInput calls it;
//  - replay (tests/fuzz.cmake): one plain program with every target, run by CTest over the
//    committed corpus and crash inputs with any compiler, so regressions stay fixed.
// A broken property calls fail(), which aborts: libFuzzer saves the input, CTest fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "myna/error.hpp"

namespace myna::fuzz {

using TargetFn = void (*)(std::string_view input);

/// Registers a target under a name (at static initialisation); returns true.
bool register_target(const char* name, TargetFn fn);
/// The target of that name, or nullptr.
TargetFn find_target(std::string_view name);
/// Names of all registered targets, space separated.
std::string target_names();

/// Reports a broken property with the target's context and aborts.
[[noreturn]] void fail(std::string_view what);
[[noreturn]] void fail(std::string_view what, const Error& error);

/// Fails when an error's text could forge log lines (control characters) or shows `secret`.
void check_loggable(const Error& error, std::string_view secret = {});

/// A short text for comparisons and reports: category, message, location and details.
std::string describe(const Error& error);

/// Reads small numbers from the front of an input (0 when exhausted) and hands out the rest.
class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  std::uint8_t byte() {
    if (data_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(data_.front());
    data_.remove_prefix(1);
    return b;
  }
  std::string_view rest() const { return data_; }

 private:
  std::string_view data_;
};

}  // namespace myna::fuzz

/// Defines and registers a target: MYNA_FUZZ_TARGET(envelope) { ... uses `input` ... }
#define MYNA_FUZZ_TARGET(name)                                     \
  static void myna_fuzz_##name(std::string_view input);            \
  [[maybe_unused]] static const bool myna_fuzz_registered_##name = \
      ::myna::fuzz::register_target(#name, &myna_fuzz_##name);     \
  static void myna_fuzz_##name(std::string_view input)
