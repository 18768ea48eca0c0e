// Small OpenSSL helpers shared by auth and process (internal header).
#pragma once

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace myna::internal {

/// n bytes from OpenSSL's CSPRNG; nullopt when the generator fails.
inline std::optional<std::string> random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) return std::nullopt;
  return out;
}

/// base64url (RFC 4648 §5) without padding.
inline std::string base64url(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int shift : {18, 12, 6, 0}) out.push_back(alphabet[(v >> shift) & 63]);
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const unsigned v = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0U);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
  }
  return out;
}

/// Raw SHA-256 digest (32 bytes).
inline std::string sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

inline std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(digits[u >> 4]);
    out.push_back(digits[u & 15]);
  }
  return out;
}

/// Lower-case hex SHA-256: file names for keys chosen by others (no path traversal).
inline std::string sha256_hex(std::string_view data) { return hex(sha256(data)); }

/// A short, non-reversible tag for logs ("citizen#1a2b3c4d").
inline std::string log_tag(std::string_view key) { return sha256_hex(key).substr(0, 8); }

}  // namespace myna::internal
