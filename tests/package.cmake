# The installed package works for a consumer project (find_package and pkg-config).
if(MYNA_INSTALL)
  add_test(NAME package_consumer
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/run.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
  set_tests_properties(package_consumer PROPERTIES LABELS package)
endif()
