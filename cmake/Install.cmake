# Install rules: each component of the SDK is a library with its own export set, its own
# targets file and its own pkg-config file; MynaPortalConfig.cmake loads the components asked for
# and finds exactly the dependencies each of them needs (docs/install.md).
#
#   component   target                   library              pkg-config            needs (static builds)
#   core        MynaPortal::core         mynaportal_core      mynaportal-core       Threads
#   mynaportal  MynaPortal::mynaportal   mynaportal           mynaportal            core, libcurl, OpenSSL
#   listener    MynaPortal::listener     mynaportal_listener  mynaportal-listener   mynaportal, OpenSSL
#   postgres    MynaPortal::postgres     mynaportal_postgres  mynaportal-postgres   mynaportal, libpq, libcrypto
#
# A shared build's libraries carry their private dependencies themselves: the Config file then
# finds only Threads, and the .pc files list libcurl, OpenSSL and libpq in Requires.private.
include(CMakePackageConfigHelpers)

set(MYNA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/MynaPortal)
get_target_property(_myna_type mynaportal_core TYPE)
if(_myna_type STREQUAL "SHARED_LIBRARY")
  set(MYNA_SHARED ON)
else()
  set(MYNA_SHARED OFF)
endif()
# Relocatable .pc files: the prefix is found relative to the .pc file (pkg-config's ${pcfiledir}).
file(RELATIVE_PATH MYNA_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")

# myna_install_component(component TARGET t PC name DESCRIPTION text REQUIRES ... DEPENDS ...
#                        [HEADERS dir-or-file...] [HEADER_BASE dir]
#                        [GENERATED file...])
#   GENERATED: headers this build generated under its include/ (the component's export header).
#   REQUIRES: pkg-config modules of the components it builds on; DEPENDS: pkg-config modules of
#   its private dependencies (Requires.private in a shared build, Requires in a static one).
function(myna_install_component component)
  cmake_parse_arguments(C "" "TARGET;PC;DESCRIPTION;HEADER_BASE" "REQUIRES;DEPENDS;HEADERS;GENERATED" ${ARGN})
  install(TARGETS ${C_TARGET} EXPORT MynaPortal-${component}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT MynaPortal-${component} NAMESPACE MynaPortal::
    FILE MynaPortal-${component}-targets.cmake DESTINATION ${MYNA_CMAKE_DIR})
  # The build tree is usable too: find_package(MynaPortal) with MynaPortal_DIR=<build dir>.
  export(EXPORT MynaPortal-${component} NAMESPACE MynaPortal::
    FILE ${PROJECT_BINARY_DIR}/MynaPortal-${component}-targets.cmake)

  foreach(header IN LISTS C_HEADERS)
    set(path ${C_HEADER_BASE}/${header})
    get_filename_component(parent ${header} DIRECTORY)
    if(IS_DIRECTORY ${path})
      install(DIRECTORY ${path} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${parent})
    else()
      install(FILES ${path} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${parent})
    endif()
  endforeach()

  foreach(header IN LISTS C_GENERATED)
    get_filename_component(parent ${header} DIRECTORY)
    install(FILES ${PROJECT_BINARY_DIR}/include/${header} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${parent})
  endforeach()

  set(PC_NAME ${C_PC})
  set(PC_THREADS "")
  if(component STREQUAL "core")
    set(PC_THREADS " -pthread")  # std::thread and friends; the other components get it through Requires
  endif()
  set(PC_DESCRIPTION ${C_DESCRIPTION})
  get_target_property(PC_LIBRARY ${C_TARGET} OUTPUT_NAME)
  if(NOT PC_LIBRARY)
    set(PC_LIBRARY ${C_TARGET})
  endif()
  list(JOIN C_REQUIRES " " requires)
  list(JOIN C_DEPENDS " " depends)
  set(PC_CFLAGS "")
  if(MYNA_SHARED)
    set(PC_REQUIRES "${requires}")
    set(PC_REQUIRES_PRIVATE "${depends}")
  else()
    string(STRIP "${requires} ${depends}" PC_REQUIRES)
    set(PC_REQUIRES_PRIVATE "")
    # The static define that empties the component's export macro (CMake consumers get it from
    # the target's INTERFACE_COMPILE_DEFINITIONS).
    myna_static_define_flags(PC_CFLAGS ${C_TARGET})
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/mynaportal.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${C_PC}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${C_PC}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()

set(_myna_inc ${PROJECT_SOURCE_DIR}/include)
myna_install_component(core TARGET mynaportal_core PC mynaportal-core
  DESCRIPTION "Mynaportal SDK, network-free core: records, queries, codecs, exports"
  HEADER_BASE ${_myna_inc}
  HEADERS myna/error.hpp myna/log.hpp myna/profile.hpp myna/records.hpp myna/secret.hpp
          myna/records myna/query myna/codec myna/export
  GENERATED myna/version.hpp myna/core_export.hpp)
set(MYNA_COMPONENTS core)

if(TARGET mynaportal)
  myna_install_component(mynaportal TARGET mynaportal PC mynaportal
    DESCRIPTION "C++ client SDK for the Mynaportal 医療保険情報取得 API (its own documented wire profile)"
    REQUIRES mynaportal-core DEPENDS libcurl openssl
    HEADER_BASE ${_myna_inc}
    # Every public header (the core's again too). The listener's options header comes along:
    # configuration.hpp includes it, also in a build without the listener.
    HEADERS myna GENERATED myna/export.hpp myna/listener_export.hpp)
  list(APPEND MYNA_COMPONENTS mynaportal)
endif()
if(TARGET mynaportal_listener)
  myna_install_component(listener TARGET mynaportal_listener PC mynaportal-listener
    DESCRIPTION "Mynaportal SDK: the built-in HTTPS completion-notification listener"
    REQUIRES mynaportal DEPENDS openssl
    HEADER_BASE ${_myna_inc} HEADERS myna/client/listener.hpp GENERATED myna/listener_export.hpp)
  list(APPEND MYNA_COMPONENTS listener)
endif()
if(TARGET mynaportal_postgres)
  myna_install_component(postgres TARGET mynaportal_postgres PC mynaportal-postgres
    DESCRIPTION "Mynaportal SDK: retrieval store, token store, record sink and work queue on PostgreSQL"
    REQUIRES mynaportal DEPENDS libpq libcrypto
    HEADER_BASE ${PROJECT_SOURCE_DIR}/postgres/include HEADERS myna/postgres GENERATED myna/postgres/export.hpp)
  list(APPEND MYNA_COMPONENTS postgres)
endif()

configure_package_config_file(cmake/MynaPortalConfig.cmake.in ${PROJECT_BINARY_DIR}/MynaPortalConfig.cmake
  INSTALL_DESTINATION ${MYNA_CMAKE_DIR} NO_SET_AND_CHECK_MACRO)
# Before 1.0 a minor release may change the API: 0.1.x satisfies a request for 0.1, not 0.2.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/MynaPortalConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/MynaPortalConfig.cmake ${PROJECT_BINARY_DIR}/MynaPortalConfigVersion.cmake
  DESTINATION ${MYNA_CMAKE_DIR})
