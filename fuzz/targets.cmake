# The fuzz targets and their sources, shared by fuzz/CMakeLists.txt (libFuzzer programs) and
# tests/fuzz.cmake (the replay program that CTest runs over the committed inputs).
set(MYNA_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MYNA_FUZZ_TARGETS envelope payload_drug payload_checkup payload_expense stream redirect notification token
    query listener_request)
set(MYNA_FUZZ_SOURCES registry.cpp envelope.cpp payload.cpp stream.cpp redirect.cpp notification.cpp token.cpp
    query.cpp listener_request.cpp)
list(TRANSFORM MYNA_FUZZ_SOURCES PREPEND ${MYNA_FUZZ_DIR}/)
# The listener's request reader is compiled in directly (the listener library needs no
# fuzzing build of its own); its header is found under src/ (myna_use_internal_headers).
list(APPEND MYNA_FUZZ_SOURCES ${MYNA_FUZZ_DIR}/../src/listener/http_request.cpp)
