# Fuzzing regressions (docs/fuzzing.md): Catch2 tests of the bugs fuzzing found.
myna_test(unit_fuzz_regressions LABELS unit fuzz SOURCES unit/test_fuzz_regressions.cpp)
