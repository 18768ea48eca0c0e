# The fuzz targets and their sources, shared by fuzz/CMakeLists.txt (libFuzzer programs) and
# tests/fuzz.cmake (the replay program that CTest runs over the committed inputs).
set(MYNA_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MYNA_FUZZ_TARGETS envelope payload_drug payload_checkup payload_expense stream redirect notification token
    query values)
set(MYNA_FUZZ_SOURCES registry.cpp envelope.cpp payload.cpp stream.cpp redirect.cpp notification.cpp token.cpp
    query.cpp values.cpp)
list(TRANSFORM MYNA_FUZZ_SOURCES PREPEND ${MYNA_FUZZ_DIR}/)
