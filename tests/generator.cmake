# The sandbox's data generator: determinism and the golden fingerprint of its data.
if(TARGET myna_sandbox_data)
  myna_test(unit_generator LABEL unit SOURCES unit/test_generator.cpp LIBS myna_sandbox_data)
endif()
