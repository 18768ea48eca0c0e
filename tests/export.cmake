# The export API (CSV, JSON Lines) over generated records, and the variant corpus through every
# export (CSV, JSON Lines, FHIR). FHIR checks of their own: fhir.cmake.
if(TARGET myna_sandbox_data)
  myna_test(unit_export LABEL unit SOURCES export/test_csv.cpp export/test_json_lines.cpp export/test_corpus_exports.cpp LIBS myna_sandbox_data)
  target_include_directories(unit_export SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIR})
endif()
