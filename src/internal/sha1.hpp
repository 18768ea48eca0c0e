// SHA-1 (FIPS 180-4) for name-based UUIDs (RFC 4122 version 5) in the FHIR export; not for
// security. Portable, so the network-free core library needs no OpenSSL (internal header).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace myna::internal {

using Sha1Digest = std::array<unsigned char, 20>;

namespace sha1_detail {

inline std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

inline void block(std::array<std::uint32_t, 5>& h, const unsigned char* p) {
  std::uint32_t w[80];
  for (int i = 0; i < 16; ++i) {
    w[i] = std::uint32_t{p[4 * i]} << 24 | std::uint32_t{p[4 * i + 1]} << 16 | std::uint32_t{p[4 * i + 2]} << 8 |
           std::uint32_t{p[4 * i + 3]};
  }
  for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; ++i) {
    std::uint32_t f, k;
    if (i < 20)
      f = (b & c) | (~b & d), k = 0x5A827999;
    else if (i < 40)
      f = b ^ c ^ d, k = 0x6ED9EBA1;
    else if (i < 60)
      f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
    else
      f = b ^ c ^ d, k = 0xCA62C1D6;
    const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d, d = c, c = rotl(b, 30), b = a, a = t;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

}  // namespace sha1_detail

/// The SHA-1 digest of data.
inline Sha1Digest sha1(std::string_view data) {
  std::array<std::uint32_t, 5> h{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size(), at = 0;
  for (; n - at >= 64; at += 64) sha1_detail::block(h, bytes + at);
  // The tail, 0x80, zeros and the bit length (big-endian) in one or two last blocks.
  unsigned char last[128] = {};
  const std::size_t rest = n - at;
  for (std::size_t i = 0; i < rest; ++i) last[i] = bytes[at + i];
  last[rest] = 0x80;
  const std::size_t total = rest < 56 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
  for (int i = 0; i < 8; ++i) last[total - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  for (std::size_t off = 0; off < total; off += 64) sha1_detail::block(h, last + off);
  Sha1Digest out{};
  for (std::size_t i = 0; i < 20; ++i) out[i] = static_cast<unsigned char>(h[i / 4] >> (24 - 8 * (i % 4)));
  return out;
}

}  // namespace myna::internal
