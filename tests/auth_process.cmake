# Auth (consent, tokens, token stores, provider) and process (telegram ids, retrieval stores,
# notification handler) unit tests. Tests include internal headers from src/ for known-answer checks.
myna_test(unit_auth LABELS unit threads SOURCES
  unit/test_consent.cpp
  unit/test_consent_types.cpp
  unit/test_token.cpp
  unit/test_token_store.cpp
  unit/test_token_provider.cpp
  unit/test_redaction.cpp
  LIBS OpenSSL::Crypto)
# The safe writer and the private-directory check shared by the stores and the CLI.
target_sources(unit_auth PRIVATE unit/test_secure_file.cpp)
myna_test(unit_process LABELS unit threads SOURCES
  unit/test_telegram_id.cpp
  unit/test_retrieval_store.cpp
  unit/test_notification_handler.cpp
  LIBS OpenSSL::Crypto)
