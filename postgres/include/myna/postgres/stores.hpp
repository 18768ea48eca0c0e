// The SDK's store interfaces on PostgreSQL: retrievals (any instance handles any
// notification, exactly one instance fetches each result) and tokens (encrypted with the
// application's key). Pass them in ClientOptions::retrieval_store / token_store.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "myna/auth/token.hpp"
#include "myna/postgres/database.hpp"
#include "myna/postgres/export.hpp"
#include "myna/process/retrieval.hpp"

namespace myna::pg {

// The stores made here are thread-safe, as RetrievalStore and TokenStore require.

struct RetrievalStoreOptions {
  /// wait() is woken by LISTEN/NOTIFY on a dedicated connection of this instance (which
  /// wakes every waiter to look again when it reconnects); it also polls, starting at
  /// poll_initial and doubling up to poll_max, as a safety net. Thousands of waiters poll
  /// thousands / poll_max times a second: keep poll_max long when listening.
  bool listen = true;
  std::chrono::milliseconds poll_initial{200};
  std::chrono::milliseconds poll_max{std::chrono::seconds(10)};
};

/// Table myna_retrievals. Every transition applies the same rules as the memory and file
/// stores to the row it read, with the database's clock (so the stale claim takeover of
/// claim_fetch() does not depend on the instances' clocks), and writes it back with a
/// conditional UPDATE on the row's version: of racing claimers exactly one wins.
MYNA_PG_API Result<std::shared_ptr<RetrievalStore>> make_retrieval_store(std::shared_ptr<Database> db,
                                                                         RetrievalStoreOptions options = {});

struct TokenStoreOptions {
  /// 32 bytes: the AES-256-GCM key that encrypts access and refresh tokens. The application
  /// supplies it (a secret manager, a 0600 file); the database never sees it.
  SecretString key;
  /// Older keys still accepted for reading (key rotation: new saves use `key`).
  std::vector<SecretString> previous_keys;
};

/// Table myna_tokens: each token encrypted on its own (random 96-bit nonce, the citizen key
/// and the column in the AAD, so a value copied to another row or column does not decrypt);
/// times in clear. Plaintext buffers are wiped. A wrong key or a tampered value is a storage
/// error, never a silent "no token".
MYNA_PG_API Result<std::shared_ptr<TokenStore>> make_token_store(std::shared_ptr<Database> db,
                                                                 TokenStoreOptions options);

/// A 32-byte key from 64 hexadecimal characters (surrounding white space ignored).
MYNA_PG_API Result<SecretString> token_key_from_hex(std::string_view hex);

}  // namespace myna::pg
