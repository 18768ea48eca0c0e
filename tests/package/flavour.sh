#!/usr/bin/env bash
# Builds the SDK's libraries once more in another flavour, in a build directory kept between runs
# (so a rerun only rebuilds what changed), and checks that flavour:
#   shared         BUILD_SHARED_LIBS=ON with every component, then symbols.sh (what each library
#                  exports) and run.sh (find_package, pkg-config)
#   add_subdirectory / FetchContent
#                  the SDK as a subproject of tests/package/subproject with its defaults
# usage: flavour.sh FLAVOUR SOURCE_DIR WORK_DIR CXX [CXXFLAGS] [LAUNCHER] [POSTGRES=ON|OFF]
set -euo pipefail
flavour=$1 source_dir=$2 work=$3 cxx=$4 cxxflags=${5:-} launcher=${6:-} postgres=${7:-OFF}
common=(-G Ninja -DCMAKE_BUILD_TYPE="${MYNA_PACKAGE_BUILD_TYPE:-RelWithDebInfo}" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$cxxflags")
[ -n "$launcher" ] && common+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
case $flavour in
  shared)
    cmake -S "$source_dir" -B "$work" "${common[@]}" -DBUILD_SHARED_LIBS=ON -DMYNA_BUILD_TESTS=OFF \
      -DMYNA_BUILD_SANDBOX=OFF -DMYNA_BUILD_CLI=OFF -DMYNA_BUILD_EXAMPLES=OFF -DMYNA_BUILD_LISTENER=ON \
      -DMYNA_BUILD_POSTGRES="$postgres" -DMYNA_INSTALL=ON >/dev/null
    cmake --build "$work" >/dev/null
    find "$work" -maxdepth 1 -name 'libmynaportal*.so*' | grep -q . || { echo "no shared libraries built"; exit 1; }
    "$source_dir/tests/package/symbols.sh" "$work"
    "$source_dir/tests/package/run.sh" "$work" "$source_dir" "$cxx" "$cxxflags"
    ;;
  add_subdirectory | FetchContent)
    cmake -S "$source_dir/tests/package/subproject" -B "$work" "${common[@]}" -DMYNA_SOURCE_DIR="$source_dir" \
      -DMYNA_VIA="$flavour" >/dev/null
    cmake --build "$work" >/dev/null
    "$work/consumer"
    ;;
  *) echo "unknown flavour $flavour"; exit 2 ;;
esac
