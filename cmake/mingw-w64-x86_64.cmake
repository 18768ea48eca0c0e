# Cross build for 64-bit Windows with Debian's g++-mingw-w64-x86-64 (POSIX threads, so that
# std::thread and std::mutex work), linked statically: the .exe files run under wine64 with no
# MinGW DLLs beside them. Only the network-free core builds here (MYNA_BUILD_CLIENT=OFF); the
# header-only dependencies come from MYNA_HOST_HEADERS (scripts/ci-windows).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# Tests run through wine64 (CTest's CROSSCOMPILING_EMULATOR).
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
