// AES-256-GCM for stored tokens (OpenSSL EVP). A sealed value is
//   version (1 byte, 0x01) | nonce (12 random bytes) | ciphertext | tag (16 bytes)
// and its AAD binds it to one citizen and one column. Internal header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "myna/error.hpp"
#include "myna/secret.hpp"

namespace myna::internal::pg {

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr char kSealVersion = 0x01;

/// Encrypts plaintext under key with a fresh random nonce.
Result<std::string> seal(const SecretString& key, std::string_view plaintext, std::string_view aad);
/// Decrypts a sealed value; nullopt when the key is wrong or the value was altered.
std::optional<SecretString> open_sealed(const SecretString& key, std::string_view sealed, std::string_view aad);

}  // namespace myna::internal::pg
