# Component `postgres` of find_package(MynaPortal COMPONENTS postgres): MynaPortal::postgres.
include(CMakeFindDependencyMacro)
find_dependency(PostgreSQL)
include("${CMAKE_CURRENT_LIST_DIR}/MynaPortal-postgres-targets.cmake")
