#include "myna/secret.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <ostream>

namespace myna {
namespace {

// After a move, the bytes of a short (in-object) string can stay behind in the source's own
// buffer. Overwriting as many bytes as the source held, within its current capacity (no
// allocation), removes them whichever way the library implements the move.
void wipe_moved_from(std::string& source, std::size_t old_size) noexcept {
  source.assign(std::min(old_size, source.capacity()), '\0');
  wipe(source);
}

}  // namespace

void wipe(std::string& buffer) noexcept {
  if (!buffer.empty()) OPENSSL_cleanse(buffer.data(), buffer.size());
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
  const bool same_bytes = n == 0 || CRYPTO_memcmp(value_.data(), rhs, n) == 0;
  return same_length & same_bytes;
}

std::ostream& operator<<(std::ostream& os, const SecretString& /*secret*/) {
  return os << "[redacted]";
}

}  // namespace myna
