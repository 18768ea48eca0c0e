#include "token_cipher.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>

namespace myna::internal::pg {
namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

bool fits(std::string_view s) { return s.size() < static_cast<std::size_t>(INT_MAX) / 2; }

Error cipher_failed() { return Error(ErrorCategory::storage, "encrypting a token failed (OpenSSL)"); }

}  // namespace

Result<std::string> seal(const SecretString& key, std::string_view plaintext, std::string_view aad) {
  if (key.size() != kKeyBytes || !fits(plaintext) || !fits(aad)) return cipher_failed();
  std::string out(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  out[0] = kSealVersion;
  unsigned char* nonce = bytes(out) + 1;
  unsigned char* cipher = nonce + kNonceBytes;
  if (RAND_bytes(nonce, static_cast<int>(kNonceBytes)) != 1) return cipher_failed();
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key.reveal()), nonce) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), cipher, &len, bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), cipher + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes), cipher + plaintext.size()) == 1;
  if (!ok) return cipher_failed();
  return out;
}

std::optional<SecretString> open_sealed(const SecretString& key, std::string_view sealed, std::string_view aad) {
  if (key.size() != kKeyBytes || sealed.size() < 1 + kNonceBytes + kTagBytes || sealed[0] != kSealVersion ||
      !fits(sealed) || !fits(aad))
    return std::nullopt;
  const std::string_view nonce = sealed.substr(1, kNonceBytes);
  const std::string_view cipher = sealed.substr(1 + kNonceBytes, sealed.size() - 1 - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  std::string plain(cipher.size(), '\0');
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0, tail = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key.reveal()), bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), bytes(plain), &len, bytes(cipher), static_cast<int>(cipher.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + len, &tail) == 1;
  if (!ok) {
    wipe(plain);
    return std::nullopt;
  }
  SecretString out(plain);  // a copy: the local buffer is wiped below whatever its capacity
  wipe(plain);
  return out;
}

}  // namespace myna::internal::pg
