# Every C++ block of README.md and docs/*.md compiles (tools/doc_snippets.py; the comment
# convention that says how a block is compiled is in docs/README.md).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND AND TARGET mynaportal_listener AND TARGET mynaportal_postgres)
  set(_myna_doc_includes ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include
    ${PROJECT_SOURCE_DIR}/postgres/include)
  set(_myna_doc_links $<TARGET_FILE:mynaportal_listener> $<TARGET_FILE:mynaportal> $<TARGET_FILE:mynaportal_core>
    ${CURL_LIBRARIES} ${OPENSSL_SSL_LIBRARY} ${OPENSSL_CRYPTO_LIBRARY} -pthread)
  # As a consumer compiles them: in a static build with the static defines that empty the export macros.
  myna_static_define_flags(_myna_static_flags mynaportal_core mynaportal mynaportal_listener mynaportal_postgres)
  set(_myna_doc_flags "${CMAKE_CXX_FLAGS}${_myna_static_flags}")
  add_test(NAME doc_snippets
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/doc_snippets.py ${PROJECT_SOURCE_DIR}
            ${CMAKE_CURRENT_BINARY_DIR}/doc_snippets ${CMAKE_CXX_COMPILER} "${_myna_doc_flags}"
            "${_myna_doc_includes}" "${_myna_doc_links}")
  set_tests_properties(doc_snippets PROPERTIES LABELS docs)
endif()
