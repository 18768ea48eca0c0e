// SecretString: tokens, codes, verifiers, passphrases. Never printed; wiped when destroyed.
// A value type: const use from several threads is safe, a change needs one thread at a time.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "myna/core_export.hpp"

namespace myna {

class MYNA_CORE_API SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const SecretString& other) : value_(other.value_) {}
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();  ///< overwrites the bytes

  /// The secret itself: only for putting it on the wire or into a store.
  std::string_view reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }
  std::size_t size() const noexcept { return value_.size(); }
  void clear() noexcept;

  /// Constant-time comparison; different lengths compare unequal.
  bool equals(std::string_view other) const noexcept;

 private:
  std::string value_;
};

/// Prints "[redacted]" whatever the value.
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const SecretString& secret);

/// Overwrites a buffer with zeros (stores the compiler may not drop), then clears it.
MYNA_CORE_API void wipe(std::string& buffer) noexcept;

}  // namespace myna
