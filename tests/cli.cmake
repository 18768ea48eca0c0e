# The `myna` command-line tool, and the API reference.
if(TARGET myna_cli_core)
  myna_test(unit_cli LABEL unit SOURCES cli/test_cli_parts.cpp LIBS myna_cli_core)
endif()

# End-to-end: the built `myna` binary against `myna sandbox`, both as subprocesses
# (tests/cli/test_cli.py, one CTest test per suite so that they can run in parallel).
find_package(Python3 COMPONENTS Interpreter)
if(TARGET myna AND Python3_Interpreter_FOUND)
  foreach(suite TestBasics TestLoginFetch TestServiceFaults TestOddValues TestSync)
    add_test(NAME cli_e2e_${suite}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli.py --myna $<TARGET_FILE:myna> ${suite})
    set_tests_properties(cli_e2e_${suite} PROPERTIES LABELS e2e TIMEOUT 300)
  endforeach()
endif()
# Local attacks on the binary: planted files, stray callback requests, local hardening.
if(TARGET myna AND Python3_Interpreter_FOUND)
  foreach(suite TestFileSafety TestSandboxFiles TestLogin TestLocalHardening)
    add_test(NAME cli_attacks_${suite}
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/cli/test_cli_security.py --myna $<TARGET_FILE:myna>
              ${suite})
    set_tests_properties(cli_attacks_${suite} PROPERTIES LABELS e2e TIMEOUT 300)
  endforeach()
endif()
if(TARGET myna AND MYNA_INSTALL)
  add_test(NAME cli_installed COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/installed.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(cli_installed PROPERTIES LABELS package)
endif()

# The API reference builds without a single Doxygen warning.
if(TARGET myna_docs)
  add_test(NAME api_reference COMMAND Doxygen::doxygen ${PROJECT_BINARY_DIR}/docs/Doxyfile)
  set_tests_properties(api_reference PROPERTIES LABELS unit)
endif()
