#include "myna/secret.hpp"

#include <algorithm>
#include <ostream>

namespace myna {
namespace {

// Zeroes n bytes through volatile writes, which the compiler may not drop as dead stores; the
// empty asm statement also tells GCC and Clang that the memory is read afterwards. Portable
// (no OpenSSL), so the network-free core library has it on every platform.
void secure_zero(char* bytes, std::size_t n) noexcept {
  volatile char* p = bytes;
  for (std::size_t i = 0; i < n; ++i) p[i] = 0;
#if defined(__GNUC__) || defined(__clang__)
  __asm__ __volatile__("" : : "r"(bytes) : "memory");
#endif
}

// Compares n bytes in time that depends on n only (no early exit).
bool constant_time_equal(const char* a, const char* b, std::size_t n) noexcept {
  volatile unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

// After a move, the bytes of a short (in-object) string can stay behind in the source's own
// buffer. Overwriting as many bytes as the source held, within its current capacity (no
// allocation), removes them whichever way the library implements the move.
void wipe_moved_from(std::string& source, std::size_t old_size) noexcept {
  source.assign(std::min(old_size, source.capacity()), '\0');
  wipe(source);
}

}  // namespace

void wipe(std::string& buffer) noexcept {
  if (!buffer.empty()) secure_zero(buffer.data(), buffer.size());
  buffer.clear();
}

SecretString::SecretString(SecretString&& other) noexcept {
  const std::size_t old_size = other.value_.size();
  value_ = std::move(other.value_);
  wipe_moved_from(other.value_, old_size);
}

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    wipe(value_);
    value_ = other.value_;
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    wipe(value_);
    const std::size_t old_size = other.value_.size();
    value_ = std::move(other.value_);
    wipe_moved_from(other.value_, old_size);
  }
  return *this;
}

SecretString::~SecretString() { wipe(value_); }

void SecretString::clear() noexcept { wipe(value_); }

bool SecretString::equals(std::string_view other) const noexcept {
  const std::size_t n = value_.size();
  const bool same_length = other.size() == n;
  // On a length mismatch compare the secret with itself: the work done never depends on
  // where the contents differ.
  const char* rhs = same_length ? other.data() : value_.data();
  const bool same_bytes = n == 0 || constant_time_equal(value_.data(), rhs, n);
  return same_length & same_bytes;
}

std::ostream& operator<<(std::ostream& os, const SecretString& /*secret*/) { return os << "[redacted]"; }

}  // namespace myna
