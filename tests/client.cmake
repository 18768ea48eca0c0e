# The client: its stream pipe (unit) and whole retrievals against the sandbox over HTTPS.
myna_test(unit_client LABELS unit threads SOURCES unit/test_chunk_pipe.cpp)
if(TARGET myna_sandbox AND TARGET mynaportal_listener)
  myna_test(e2e_client LABELS e2e threads SOURCES e2e/test_client.cpp e2e/test_client_consent_types.cpp
    LIBS myna_sandbox MynaPortal::listener)
endif()
