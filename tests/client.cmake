# The client: its stream pipe, its retry schedule (unit, fake clock and transport) and whole
# retrievals against the sandbox over HTTPS.
myna_test(unit_client LABELS unit threads SOURCES unit/test_chunk_pipe.cpp unit/test_retry_schedule.cpp
  unit/test_scripted_client.cpp unit/test_configuration.cpp)
# the retrieval engine and the retry loop on a fake clock
myna_test_internals(unit_client client/retrieval_engine.cpp client/service_call.cpp transport/retry_loop.cpp)
if(TARGET myna_sandbox AND TARGET mynaportal_listener)
  myna_test(e2e_client LABELS e2e threads SOURCES e2e/test_client.cpp e2e/test_client_consent_types.cpp
    e2e/test_audit.cpp LIBS myna_sandbox MynaPortal::listener)
endif()
