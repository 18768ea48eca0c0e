#include "myna/secret.hpp"

#include <openssl/crypto.h>

#include <ostream>

namespace myna {

SecretString::SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
  other.clear();
}

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    clear();
    value_ = other.value_;
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    clear();
    value_ = std::move(other.value_);
    other.clear();
  }
  return *this;
}

SecretString::~SecretString() { clear(); }

void SecretString::clear() noexcept { wipe(value_); }

bool SecretString::equals(std::string_view other) const noexcept {
  if (other.size() != value_.size()) return false;
  return CRYPTO_memcmp(value_.data(), other.data(), value_.size()) == 0;
}

std::ostream& operator<<(std::ostream& os, const SecretString&) { return os << "[redacted]"; }

void wipe(std::string& buffer) noexcept {
  // Growing to the capacity never reallocates, so every byte that ever held data is wiped,
  // including an old value left behind in the small-string buffer by a move.
  buffer.resize(buffer.capacity());
  OPENSSL_cleanse(buffer.data(), buffer.size());
  buffer.clear();
}

}  // namespace myna
