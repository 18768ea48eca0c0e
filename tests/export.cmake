# The export API (CSV, JSON Lines) over generated records. FHIR: fhir.cmake.
if(TARGET myna_sandbox_data)
  myna_test(unit_export LABEL unit SOURCES export/test_csv.cpp export/test_json_lines.cpp LIBS myna_sandbox_data)
  target_include_directories(unit_export SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIR})
endif()
