# The sandbox's end-to-end tests (real loopback HTTPS with mutual TLS through raw libcurl) and
# the callback listener's tests.
if(TARGET myna_sandbox)
  myna_test(e2e_sandbox LABELS e2e threads
    SOURCES e2e/test_sandbox.cpp e2e/test_sandbox_faults.cpp e2e/test_sandbox_scale.cpp e2e/test_sandbox_pages.cpp
    LIBS myna_sandbox CURL::libcurl PkgConfig::HTTPLIB)
endif()

if(TARGET mynaportal_listener AND TARGET myna_sandbox)
  myna_test(unit_listener LABELS unit threads
    SOURCES unit/test_listener.cpp unit/test_listener_reader.cpp
    LIBS mynaportal_listener myna_sandbox CURL::libcurl OpenSSL::SSL)
  myna_test_internals(unit_listener listener/http_request.cpp)  # the request reader
endif()
