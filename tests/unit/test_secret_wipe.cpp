// Secrets are wiped when their holders are destroyed. This program replaces the global
// operator new/delete (malloc/free underneath) so that it can look at a heap block at the
// moment it is freed: legal, and without reading freed memory.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "myna/auth/consent.hpp"
#include "myna/auth/token.hpp"
#include "myna/secret.hpp"

namespace {

/// The block being watched and a copy of the secret it held.
std::atomic<const void*> g_watched{nullptr};
char g_secret[256];
std::size_t g_secret_len = 0;
std::atomic<long> g_left_at_free{-1};  // secret bytes still in place when the block was freed

void inspect(void* block) noexcept {
  if (!block || block != g_watched.load()) return;
  const auto* bytes = static_cast<const char*>(block);
  long left = 0;
  for (std::size_t i = 0; i < g_secret_len; ++i) left += bytes[i] == g_secret[i];
  g_left_at_free = left;
  g_watched = nullptr;
}

/// Watches the heap block holding `secret` (its first byte is the block's first byte).
void watch(std::string_view secret) {
  REQUIRE(secret.size() < sizeof g_secret);
  std::memcpy(g_secret, secret.data(), secret.size());
  g_secret_len = secret.size();
  g_left_at_free = -1;
  g_watched = secret.data();
}

/// Secret bytes still in place when the watched block was freed; -1 if it was not freed.
long left_at_free() { return g_left_at_free.load(); }

std::string long_secret(const char* tag) {
  return std::string(tag) + "-3f9c2a7e81b04d6c95e7a1f0c2d3b4a5968778695a4b3c2d1e0f";  // beyond SSO
}

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  inspect(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  inspect(p);
  std::free(p);
}
// Every other replaceable form goes to malloc/free as well, so that no block crosses between
// this program's operators and the runtime's (AddressSanitizer reports such mismatches).
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }

TEST_CASE("the watcher sees secrets left in a freed block (control)", "[secret][wipe]") {
  auto* plain = new std::string(long_secret("plain"));
  watch(*plain);
  delete plain;
  CHECK(left_at_free() == static_cast<long>(g_secret_len));  // a std::string is not wiped
}

TEST_CASE("destroying a SecretString wipes its heap buffer before it is freed", "[secret][wipe]") {
  alignas(myna::SecretString) unsigned char storage[sizeof(myna::SecretString)];
  auto* secret = new (storage) myna::SecretString(long_secret("token"));
  watch(secret->reveal());
  secret->~SecretString();
  CHECK(left_at_free() == 0);
}

TEST_CASE("a short secret inside the object is wiped too", "[secret][wipe]") {
  alignas(myna::SecretString) unsigned char storage[sizeof(myna::SecretString)];
  const std::string pin = "pin-8265";  // fits the small-string buffer: no heap block
  auto* secret = new (storage) myna::SecretString(pin);
  secret->~SecretString();
  const std::string bytes(reinterpret_cast<const char*>(storage), sizeof storage);
  CHECK(bytes.find(pin) == std::string::npos);
}

TEST_CASE("clear(), assignment and moves wipe the buffer they give up", "[secret][wipe]") {
  myna::SecretString secret(long_secret("clear"));
  watch(secret.reveal());
  secret.clear();
  secret = myna::SecretString(long_secret("other"));  // clear() may keep the block: now it goes
  CHECK(left_at_free() == 0);

  watch(secret.reveal());
  secret = myna::SecretString(long_secret("copy-assigned"));
  CHECK(left_at_free() == 0);

  {
    myna::SecretString source(long_secret("moved"));
    myna::SecretString target(std::move(source));  // the block changes hands, it is not freed
    watch(target.reveal());
  }
  CHECK(left_at_free() == 0);
}

TEST_CASE("a Token and a ConsentRequest wipe their secrets when destroyed", "[secret][wipe]") {
  {
    auto* token = new myna::Token{
        myna::SecretString(long_secret("access")), myna::SecretString(long_secret("refresh")), {}, {}, {}};
    watch(token->refresh_token.reveal());
    delete token;
    CHECK(left_at_free() == 0);
  }
  {
    myna::Profile profile;
    profile.use_pkce = true;
    auto* request = new myna::ConsentRequest(myna::begin_consent(profile).value());
    REQUIRE(request->code_verifier.size() > 15);
    watch(request->code_verifier.reveal());
    delete request;
    CHECK(left_at_free() == 0);
  }
}
