// SHA-1 of the FHIR export's name-based UUIDs (src/internal/sha1.hpp): FIPS 180 known answers,
// including inputs whose padding needs a second block.
#include <catch2/catch.hpp>

#include <string>

#include "internal/sha1.hpp"

namespace {
std::string hex_of(std::string_view data) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char b : myna::internal::sha1(data)) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}
}  // namespace

TEST_CASE("sha1: known answers") {
  CHECK(hex_of("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(hex_of("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");  // 56 bytes: the length goes into a second block
  CHECK(hex_of(std::string(1000000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  CHECK(hex_of(std::string(64, 'x')) == "bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163");
}
