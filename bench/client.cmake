# Client benchmarks (streaming, per-retrieval overhead, batch): each starts myna-sandbox as a separate process
# and measures the client in a child process of its own where memory matters.
# Full-size runs: bench/run; method and figures: docs/performance.md.
if(NOT TARGET mynaportal_listener)
  message(STATUS "client benchmarks not built: they need MYNA_BUILD_LISTENER")
  return()
endif()

add_library(myna_bench_client STATIC client/support.cpp client/raw_retriever.cpp)
target_include_directories(myna_bench_client PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_include_directories(myna_bench_client SYSTEM PRIVATE ${RAPIDJSON_INCLUDE_DIR})
target_link_libraries(myna_bench_client PUBLIC MynaPortal::mynaportal MynaPortal::listener myna_sandbox
  PkgConfig::HTTPLIB CURL::libcurl)
target_compile_definitions(myna_bench_client PRIVATE MYNA_SANDBOX_EXE="$<TARGET_FILE:myna-sandbox>")
myna_warnings(myna_bench_client)

function(myna_client_bench name)
  myna_bench(${name} SOURCES client/${name}.cpp LIBS myna_bench_client ${ARGN})
  add_dependencies(${name} myna-sandbox)
endfunction()

myna_client_bench(bench_stream)     # 1 GiB through fetch_stream
myna_client_bench(bench_retrieval)  # SDK vs raw libcurl + RapidJSON, callgrind
myna_client_bench(bench_batch)      # 1,000 / 10,000 citizens at concurrency 64
