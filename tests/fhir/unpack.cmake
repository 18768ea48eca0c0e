# Unpacks the FHIR packages (TGZ_DIR/*.tgz) into WORK/<name>/package once; the C++ checks and
# validate.js read them from there. cmake -DTGZ_DIR=... -DWORK=... -P unpack.cmake
foreach(name jp-core.r4-1.1.2 jp-eChekupReport.r4)
  if(NOT EXISTS "${WORK}/${name}/package/package.json")
    file(MAKE_DIRECTORY "${WORK}/${name}")
    execute_process(COMMAND ${CMAKE_COMMAND} -E tar xzf "${TGZ_DIR}/${name}.tgz"
                    WORKING_DIRECTORY "${WORK}/${name}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cannot unpack ${TGZ_DIR}/${name}.tgz")
    endif()
  endif()
endforeach()
