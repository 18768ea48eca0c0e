# Fuzzing regressions (docs/fuzzing.md): every fuzz target's properties replayed over the
# committed seed corpus and crash inputs (fuzz/corpus/<target>, fuzz/regressions/<target>)
# with any compiler and sanitizer, plus Catch2 tests of the bugs fuzzing found.
include(${PROJECT_SOURCE_DIR}/fuzz/targets.cmake)
add_executable(myna_fuzz_replay ${MYNA_FUZZ_DIR}/replay_main.cpp ${MYNA_FUZZ_SOURCES})
target_link_libraries(myna_fuzz_replay PRIVATE MynaPortal::mynaportal)
myna_use_internal_headers(myna_fuzz_replay)
myna_warnings(myna_fuzz_replay)
foreach(target IN LISTS MYNA_FUZZ_TARGETS)
  set(inputs ${MYNA_FUZZ_DIR}/corpus/${target})
  if(EXISTS ${MYNA_FUZZ_DIR}/regressions/${target})
    list(APPEND inputs ${MYNA_FUZZ_DIR}/regressions/${target})
  endif()
  add_test(NAME fuzz_replay_${target} COMMAND myna_fuzz_replay ${target} ${inputs})
  set_tests_properties(fuzz_replay_${target} PROPERTIES LABELS "unit;fuzz")
endforeach()

myna_test(unit_fuzz_regressions LABELS unit fuzz SOURCES unit/test_fuzz_regressions.cpp)
