# Layer 4 (transport): unit tests.
myna_test(unit_transport LABEL unit SOURCES unit/test_secret_context.cpp unit/test_maintenance.cpp)
