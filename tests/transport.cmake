# Layer 4 (transport): unit tests over real loopback sockets (cpp-httplib servers, sandbox PKI).
if(TARGET myna_sandbox)
  myna_test(unit_transport LABELS unit threads
    SOURCES unit/test_transport.cpp unit/test_retry.cpp unit/test_maintenance.cpp unit/test_secret_context.cpp
    LIBS myna_sandbox PkgConfig::HTTPLIB)
endif()
