myna_test(unit_generator LABEL unit SOURCES unit/test_generator.cpp LIBS myna_sandbox_data)
