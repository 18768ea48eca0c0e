if(MYNA_BUILD_SANDBOX AND MYNA_BUILD_LISTENER)
  myna_test(e2e_client LABELS e2e threads SOURCES e2e/test_client.cpp e2e/test_client_consent_types.cpp
    LIBS myna_sandbox MynaPortal::listener)
endif()
myna_test(unit_client LABELS unit threads SOURCES unit/test_chunk_pipe.cpp)
