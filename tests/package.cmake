# The installed package works for a consumer project: each component with find_package and with
# pkg-config, from this (static) build and from a shared build, and the SDK as a subproject
# (add_subdirectory, FetchContent). The extra flavours keep their build directories under
# package-*/, so a rerun rebuilds only what changed (ccache makes a first run cheap too).
if(MYNA_INSTALL)
  set(_myna_pkg_flags "${CMAKE_CXX_FLAGS}")
  add_test(NAME package_consumer
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/run.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
            ${CMAKE_CXX_COMPILER} "${_myna_pkg_flags}")
  set(_myna_pg OFF)
  if(TARGET mynaportal_postgres)
    set(_myna_pg ON)
  endif()
  foreach(flavour shared add_subdirectory FetchContent)
    add_test(NAME package_${flavour}
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/package/flavour.sh ${flavour} ${PROJECT_SOURCE_DIR}
              ${PROJECT_BINARY_DIR}/package-${flavour} ${CMAKE_CXX_COMPILER} "${_myna_pkg_flags}"
              "${CMAKE_CXX_COMPILER_LAUNCHER}" ${_myna_pg})
  endforeach()
  set_tests_properties(package_consumer PROPERTIES LABELS package)
  set_tests_properties(package_shared package_add_subdirectory package_FetchContent
    PROPERTIES LABELS "package;package_flavour")
  # The extra flavours build the libraries again: one at a time on a small machine.
  set_tests_properties(package_shared package_add_subdirectory package_FetchContent PROPERTIES RUN_SERIAL ON)
endif()
