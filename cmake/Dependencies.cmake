# The SDK's dependencies and their minimum versions (docs/install.md says the same):
#   CMake 3.20 (cmake_minimum_required), a C++17 compiler,
#   RapidJSON 1.1.0 (headers only, private to the libraries),
#   libcurl 7.66.0 with TLS and OpenSSL 1.1.1 or 3.x (the client library, the listener),
#   the sandbox and the tests: libcurl 7.84.0, OpenSSL 3.0, cpp-httplib.
# Each is checked here, so that a too old one stops the configuration with a message saying
# what was found, what is needed and which part needs it.
set(MYNA_MIN_RAPIDJSON 1.1.0)
set(MYNA_MIN_CURL 7.66.0)
set(MYNA_MIN_OPENSSL 1.1.1)
set(MYNA_MIN_CURL_SANDBOX 7.84.0)
set(MYNA_MIN_OPENSSL_SANDBOX 3.0.0)

# myna_require_version(what found minimum needed_by hint)
function(myna_require_version what found minimum needed_by hint)
  if(found VERSION_LESS minimum)
    message(FATAL_ERROR "${what} ${found} is too old: ${needed_by} needs ${what} ${minimum} or newer. ${hint}")
  endif()
endfunction()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)

# RapidJSON: headers only. A cross build gets a copy of the build machine's headers (never its
# /usr/include as a whole, which holds the build machine's C library).
if(MYNA_HOST_HEADERS)
  if(NOT EXISTS "${MYNA_HOST_HEADERS}/rapidjson/reader.h")
    message(FATAL_ERROR "MYNA_HOST_HEADERS=${MYNA_HOST_HEADERS} holds no rapidjson/reader.h (install rapidjson-dev)")
  endif()
  file(COPY "${MYNA_HOST_HEADERS}/rapidjson" DESTINATION "${PROJECT_BINARY_DIR}/host-headers")
  set(RAPIDJSON_INCLUDE_DIR "${PROJECT_BINARY_DIR}/host-headers" CACHE PATH "RapidJSON headers" FORCE)
endif()
find_path(RAPIDJSON_INCLUDE_DIR rapidjson/reader.h)
if(NOT RAPIDJSON_INCLUDE_DIR)
  message(FATAL_ERROR "RapidJSON not found: the SDK needs RapidJSON ${MYNA_MIN_RAPIDJSON} or newer (headers only; "
    "Debian: apt-get install rapidjson-dev), or set RAPIDJSON_INCLUDE_DIR to the directory holding rapidjson/.")
endif()
file(STRINGS "${RAPIDJSON_INCLUDE_DIR}/rapidjson/rapidjson.h" _myna_rj REGEX "^#define RAPIDJSON_(MAJOR|MINOR|PATCH)_VERSION ")
string(REGEX REPLACE ".*MAJOR_VERSION ([0-9]+).*MINOR_VERSION ([0-9]+).*PATCH_VERSION ([0-9]+).*" "\\1.\\2.\\3"
  MYNA_RAPIDJSON_VERSION "${_myna_rj}")
myna_require_version(RapidJSON "${MYNA_RAPIDJSON_VERSION}" ${MYNA_MIN_RAPIDJSON} "the SDK"
  "Set RAPIDJSON_INCLUDE_DIR to a newer copy.")

if(MYNA_BUILD_CLIENT)
  find_package(CURL)
  if(NOT CURL_FOUND)
    message(FATAL_ERROR "libcurl not found: the client library needs libcurl ${MYNA_MIN_CURL} or newer with TLS "
      "(Debian: apt-get install libcurl4-openssl-dev), or configure with -DMYNA_BUILD_CLIENT=OFF for the "
      "network-free MynaPortal::core only.")
  endif()
  myna_require_version(libcurl "${CURL_VERSION_STRING}" ${MYNA_MIN_CURL} "the client library"
    "Install a newer libcurl or point CURL_ROOT at one.")
  find_package(OpenSSL)
  if(NOT OPENSSL_FOUND)
    message(FATAL_ERROR "OpenSSL not found: the client library needs OpenSSL ${MYNA_MIN_OPENSSL} or 3.x "
      "(Debian: apt-get install libssl-dev), or set OPENSSL_ROOT_DIR.")
  endif()
  myna_require_version(OpenSSL "${OPENSSL_VERSION}" ${MYNA_MIN_OPENSSL} "the client library"
    "Set OPENSSL_ROOT_DIR to OpenSSL 1.1.1 or 3.x.")
endif()

if(MYNA_BUILD_SANDBOX)
  myna_require_version(libcurl "${CURL_VERSION_STRING}" ${MYNA_MIN_CURL_SANDBOX} "the sandbox (and the tests)"
    "Configure with -DMYNA_BUILD_SANDBOX=OFF to build the SDK without it.")
  myna_require_version(OpenSSL "${OPENSSL_VERSION}" ${MYNA_MIN_OPENSSL_SANDBOX} "the sandbox (and the tests)"
    "Configure with -DMYNA_BUILD_SANDBOX=OFF to build the SDK without it.")
endif()
