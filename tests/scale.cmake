# Scale-out: the PostgreSQL component against a throwaway cluster, and the multi-instance test
# (three application processes sharing one database).
if(TARGET mynaportal_postgres)
  find_package(PostgreSQL REQUIRED)  # libpq for the tests' own look at the tables

  # Starts and stops a throwaway PostgreSQL cluster (as the postgres user when run as root).
  add_library(myna_pg_cluster STATIC scale/pg_cluster.cpp)
  target_include_directories(myna_pg_cluster PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_features(myna_pg_cluster PUBLIC cxx_std_17)
  myna_warnings(myna_pg_cluster)
endif()

# The stores, sink, queue, audit log, schema and pool; exit code 77 (skipped) without the server binaries.
if(TARGET mynaportal_postgres AND TARGET myna_sandbox_data)
  add_executable(postgres_stores scale/pg_test_main.cpp scale/test_pg_database.cpp scale/test_pg_retrieval.cpp
    scale/test_pg_tokens_records.cpp scale/test_pg_audit.cpp)
  target_link_libraries(postgres_stores PRIVATE MynaPortal::postgres myna_pg_cluster myna_sandbox_data
    Catch2::Catch2 PostgreSQL::PostgreSQL)
  myna_warnings(postgres_stores)
  add_test(NAME postgres_stores COMMAND postgres_stores)
  set_tests_properties(postgres_stores PROPERTIES LABELS "e2e;postgres;threads" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

# The multi-instance test: three examples/multi_instance processes share one cluster; the
# sandbox (in the driver) notifies them round-robin; 2,000 citizens with the soak's faults,
# one instance SIGKILLed and restarted. `scale_driver --bench 1,2,3` measures throughput
# (scripts/scale-bench).
if(TARGET mynaportal_postgres AND TARGET myna_sandbox AND TARGET multi_instance)
  add_executable(scale_driver scale/multi_instance_driver.cpp scale/instance_process.cpp)
  target_link_libraries(scale_driver PRIVATE MynaPortal::postgres myna_sandbox myna_pg_cluster
    PostgreSQL::PostgreSQL OpenSSL::Crypto)
  target_include_directories(scale_driver PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  myna_warnings(scale_driver)
  add_dependencies(scale_driver multi_instance)
  add_test(NAME multi_instance COMMAND scale_driver --instance-program $<TARGET_FILE:multi_instance>)
  set_tests_properties(multi_instance PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL ON)
endif()

# find_package(MynaPortal COMPONENTS postgres) from an installed SDK gives MynaPortal::postgres.
if(TARGET mynaportal_postgres AND MYNA_INSTALL)
  add_test(NAME postgres_package
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scale/package/run.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
  set_tests_properties(postgres_package PROPERTIES LABELS package)
endif()
