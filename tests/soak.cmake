# Reliability and security: the fault soak (`soak`, CI size; scripts/soak runs the full
# size), hostile peers and inputs through the client, and the secret-handling tests.
if(TARGET myna_sandbox AND TARGET mynaportal_listener)
  myna_test(soak LABELS e2e threads SOURCES e2e/test_soak.cpp LIBS myna_sandbox MynaPortal::listener)
  myna_test(e2e_attacks LABELS e2e threads
    SOURCES e2e/test_attacks.cpp e2e/test_secrets.cpp e2e/test_listener_attacks.cpp e2e/test_notifier_auth.cpp
    LIBS myna_sandbox MynaPortal::listener CURL::libcurl PkgConfig::HTTPLIB OpenSSL::SSL)
  # Notifications inside the request window (the request telegram in flight, no processId yet).
  target_sources(e2e_attacks PRIVATE e2e/test_request_window.cpp)
endif()
# Secrets wiped on destruction (this program replaces the global operator new/delete) and the
# file token store under SIGKILL. ThreadSanitizer's runtime defines operator new/delete itself,
# so the two heap-watching programs are not built under it (neither uses threads).
if(NOT MYNA_SANITIZE MATCHES "thread")
  myna_test(unit_secrets LABEL unit SOURCES unit/test_secret_wipe.cpp unit/test_token_file_crash.cpp)
  # No bearer token in the client's freed heap blocks (this program replaces the global operator
  # new/delete; the sandbox runs as its own process so that only the client's blocks are scanned).
  if(TARGET myna-sandbox)
    myna_test(e2e_secret_heap LABEL e2e SOURCES e2e/test_secret_heap.cpp
      LIBS myna_sandbox CURL::libcurl PkgConfig::HTTPLIB OpenSSL::SSL)
    target_compile_definitions(e2e_secret_heap PRIVATE MYNA_SANDBOX_BINARY="$<TARGET_FILE:myna-sandbox>")
    add_dependencies(e2e_secret_heap myna-sandbox)
  endif()
endif()
