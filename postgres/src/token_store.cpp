// TokenStore on PostgreSQL: tokens sealed with AES-256-GCM (token_cipher.hpp) before they
// leave the process; times in clear so operators can see grants running out.
#include <cctype>

#include "myna/postgres/stores.hpp"
#include "pool.hpp"
#include "token_cipher.hpp"

namespace myna::pg {
namespace {

using internal::pg::Connection;
using internal::pg::Param;
using SysClock = std::chrono::system_clock;

constexpr std::size_t kMaxCitizenKeyBytes = 1024;

// record_types: RecordTypes::bits(); NULL in rows saved before consent per information type
// (schema version 2), read as every type, which is what those consents granted.
constexpr const char* kSave =
    "INSERT INTO myna_tokens (citizen, access_token, refresh_token, expires_at, grant_expires_at, granted_at,"
    " record_types)"
    " VALUES ($1, $2, $3, 'epoch'::timestamptz + $4::bigint * interval '1 microsecond',"
    " 'epoch'::timestamptz + $5::bigint * interval '1 microsecond',"
    " 'epoch'::timestamptz + $6::bigint * interval '1 microsecond', $7::smallint)"
    " ON CONFLICT (citizen) DO UPDATE SET access_token = EXCLUDED.access_token,"
    " refresh_token = EXCLUDED.refresh_token, expires_at = EXCLUDED.expires_at,"
    " grant_expires_at = EXCLUDED.grant_expires_at, granted_at = EXCLUDED.granted_at,"
    " record_types = EXCLUDED.record_types, updated_at = clock_timestamp()";
constexpr const char* kLoad =
    "SELECT access_token, refresh_token, (extract(epoch from expires_at) * 1000000)::bigint,"
    " (extract(epoch from grant_expires_at) * 1000000)::bigint, (extract(epoch from granted_at) * 1000000)::bigint,"
    " record_types FROM myna_tokens WHERE citizen = $1";
constexpr const char* kRemove = "DELETE FROM myna_tokens WHERE citizen = $1";

std::int64_t micros(SysClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

SysClock::time_point from_micros(std::int64_t us) {
  return SysClock::time_point(std::chrono::duration_cast<SysClock::duration>(std::chrono::microseconds(us)));
}

/// Binds a value to its citizen and column: moved elsewhere, it no longer decrypts.
std::string aad(std::string_view column, const std::string& citizen) {
  std::string out = "myna-token/v1/";
  out.append(column).push_back('\0');
  return out + citizen;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// bytea in hex output format ("\x0a1b…") to bytes; nullopt when malformed.
std::optional<std::string> from_bytea_hex(std::string_view text) {
  if (text.size() < 2 || text.substr(0, 2) != "\\x" || text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2 - 1);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

Status check_citizen(const std::string& citizen) {
  if (citizen.empty()) return Error(ErrorCategory::validation, "the citizen key is empty");
  if (citizen.size() > kMaxCitizenKeyBytes)
    return Error(ErrorCategory::validation, "the citizen key is longer than 1024 bytes");
  return {};
}

Error undecryptable() {
  return Error(ErrorCategory::storage,
               "a stored token cannot be decrypted: the token key is not the one it was saved with (add the old key "
               "to previous_keys) or the row was altered; ask the citizen to consent again if the key is lost");
}

class PgTokenStore final : public TokenStore {
 public:
  PgTokenStore(std::shared_ptr<Database> db, TokenStoreOptions options)
      : db_(std::move(db)), options_(std::move(options)) {}

  Result<std::optional<Token>> load(const std::string& citizen) override {
    if (Status st = check_citizen(citizen); !st) return std::move(st).error();
    return db_->impl().run("loading a token", [&](Connection& c) -> Result<std::optional<Token>> {
      auto rows = c.exec("loading a token", kLoad, {Param::text(citizen)});
      if (!rows) return std::move(rows).error();
      if (rows->empty()) return std::optional<Token>();
      Token token;
      auto access = unseal(rows->text(0, 0), "access_token", citizen);
      if (!access) return undecryptable();
      token.access_token = std::move(*access);
      if (!rows->null(0, 1)) {
        auto refresh = unseal(rows->text(0, 1), "refresh_token", citizen);
        if (!refresh) return undecryptable();
        token.refresh_token = std::move(*refresh);
      }
      token.expires_at = from_micros(rows->integer(0, 2));
      token.grant_expires_at = from_micros(rows->integer(0, 3));
      token.granted_at = from_micros(rows->integer(0, 4));
      token.record_types = rows->null(0, 5) ? RecordTypes::all()
                                            : RecordTypes::from_bits(static_cast<std::uint8_t>(rows->integer(0, 5)));
      return std::optional<Token>(std::move(token));
    });
  }

  Status save(const std::string& citizen, const Token& token) override {
    if (Status st = check_citizen(citizen); !st) return st;
    auto access = internal::pg::seal(options_.key, token.access_token.reveal(), aad("access_token", citizen));
    if (!access) return std::move(access).error();
    Param refresh = Param::null();
    if (!token.refresh_token.empty()) {
      auto sealed = internal::pg::seal(options_.key, token.refresh_token.reveal(), aad("refresh_token", citizen));
      if (!sealed) return std::move(sealed).error();
      refresh = Param::bytes(std::move(*sealed));
    }
    return db_->impl().run("saving a token", [&](Connection& c) -> Status {
      auto rows = c.exec("saving a token", kSave,
                         {Param::text(citizen), Param::bytes(*access), refresh,
                          Param::integer(micros(token.expires_at)), Param::integer(micros(token.grant_expires_at)),
                          Param::integer(micros(token.granted_at)), Param::integer(token.record_types.bits())});
      if (!rows) return std::move(rows).error();
      return {};
    });
  }

  Status remove(const std::string& citizen) override {
    if (Status st = check_citizen(citizen); !st) return st;
    return db_->impl().run("removing a token", [&](Connection& c) -> Status {
      auto rows = c.exec("removing a token", kRemove, {Param::text(citizen)});
      if (!rows) return std::move(rows).error();
      return {};
    });
  }

 private:
  /// Tries the current key, then the previous ones.
  std::optional<SecretString> unseal(std::string_view bytea_hex, std::string_view column, const std::string& citizen) {
    auto sealed = from_bytea_hex(bytea_hex);
    if (!sealed) return std::nullopt;
    const std::string ad = aad(column, citizen);
    if (auto plain = internal::pg::open_sealed(options_.key, *sealed, ad)) return plain;
    for (const SecretString& key : options_.previous_keys)
      if (auto plain = internal::pg::open_sealed(key, *sealed, ad)) return plain;
    return std::nullopt;
  }

  std::shared_ptr<Database> db_;
  TokenStoreOptions options_;
};

}  // namespace

Result<SecretString> token_key_from_hex(std::string_view hex) {
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.front()))) hex.remove_prefix(1);
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.remove_suffix(1);
  const Error bad(ErrorCategory::validation, "the token key must be 64 hexadecimal characters (32 bytes)");
  if (hex.size() != 2 * internal::pg::kKeyBytes) return bad;
  std::string key;
  key.reserve(internal::pg::kKeyBytes);  // no reallocation leaves key bytes behind
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      wipe(key);
      return bad;
    }
    key.push_back(static_cast<char>(hi << 4 | lo));
  }
  SecretString out(key);
  wipe(key);
  return out;
}

Result<std::shared_ptr<TokenStore>> make_token_store(std::shared_ptr<Database> db, TokenStoreOptions options) {
  if (!db) return Error(ErrorCategory::validation, "the PostgreSQL token store needs a database");
  if (options.key.size() != internal::pg::kKeyBytes)
    return Error(ErrorCategory::validation, "the token key must be exactly 32 bytes (AES-256)");
  for (const SecretString& k : options.previous_keys)
    if (k.size() != internal::pg::kKeyBytes)
      return Error(ErrorCategory::validation, "every previous token key must be exactly 32 bytes");
  return std::shared_ptr<TokenStore>(std::make_shared<PgTokenStore>(std::move(db), std::move(options)));
}

}  // namespace myna::pg
