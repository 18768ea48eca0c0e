# FHIR export: the sample exporter (used by scripts/ci-fhir and tests/fhir/validate.js) and the
# SDK's own checks of Japanese code formats against the JP Core / eCheckup packages, which are
# read from ../shared/fhir next to the repository (never copied into it).
get_filename_component(MYNA_FHIR_TGZ_DIR "${PROJECT_SOURCE_DIR}/../shared/fhir" ABSOLUTE)
set(MYNA_FHIR_PACKAGES_DIR "${PROJECT_BINARY_DIR}/fhir-packages")

if(TARGET myna_sandbox_data)
  add_executable(myna_fhir_export_sample fhir/export_sample.cpp)
  target_link_libraries(myna_fhir_export_sample PRIVATE myna_sandbox_data)
  myna_warnings(myna_fhir_export_sample)
endif()

if(TARGET myna_sandbox_data AND NOT EXISTS "${MYNA_FHIR_TGZ_DIR}/jp-core.r4-1.1.2.tgz")
  message(STATUS "FHIR packages not found in ${MYNA_FHIR_TGZ_DIR}: the FHIR code checks are not registered")
elseif(TARGET myna_sandbox_data)
  add_test(NAME fhir_packages_unpack
    COMMAND ${CMAKE_COMMAND} -DTGZ_DIR=${MYNA_FHIR_TGZ_DIR} -DWORK=${MYNA_FHIR_PACKAGES_DIR}
            -P ${CMAKE_CURRENT_SOURCE_DIR}/fhir/unpack.cmake)
  set_tests_properties(fhir_packages_unpack PROPERTIES FIXTURES_SETUP fhir_packages LABELS unit)

  myna_test(unit_fhir_export LABEL unit SOURCES fhir/test_fhir_export.cpp LIBS myna_sandbox_data)
  target_include_directories(unit_fhir_export SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIR})
  target_compile_definitions(unit_fhir_export PRIVATE MYNA_FHIR_PACKAGES="${MYNA_FHIR_PACKAGES_DIR}")
  set_tests_properties(unit_fhir_export PROPERTIES FIXTURES_REQUIRED fhir_packages)
endif()
