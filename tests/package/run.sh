#!/usr/bin/env bash
# Installs the SDK from a build tree into a temporary prefix, then, for every component installed
# there, builds and runs a consumer of it with find_package(MynaPortal COMPONENTS <it>) and with
# pkg-config (compiled as C++20: the .pc files carry no -std). Also checks that asking for an
# unknown or a not installed component fails with a message saying so.
# usage: run.sh BUILD_DIR SOURCE_DIR CXX [CXXFLAGS]
set -euo pipefail
build_dir=$1 source_dir=$2 cxx=$3 cxxflags=${4:-}
here=$source_dir/tests/package
work=$(mktemp -d "${TMPDIR:-/tmp}/myna-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
cmake_dir=$(dirname "$(find "$prefix" -name MynaPortalConfig.cmake)")
pc_dir=$(dirname "$(find "$prefix" -name mynaportal-core.pc)")
! grep -l -- '-std' "$pc_dir"/*.pc || { echo "a .pc file sets -std"; exit 1; }
export PKG_CONFIG_PATH=$pc_dir

configure() {  # configure DIR COMPONENT: the consumer project with find_package
  cmake -S "$here" -B "$1" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS="$cxxflags" -DMYNA_COMPONENT="$2"
}

for component in core mynaportal listener postgres; do
  [ -f "$cmake_dir/MynaPortal-$component-targets.cmake" ] || { echo "-- $component: not installed"; continue; }
  source=$here/consumer_$component.cpp
  [ "$component" = mynaportal ] && source=$here/consumer.cpp
  pc=mynaportal-$component
  [ "$component" = mynaportal ] && pc=mynaportal
  echo "-- $component: find_package"
  configure "$work/$component" "$component" >/dev/null
  cmake --build "$work/$component" >/dev/null
  "$work/$component/consumer"
  echo "-- $component: pkg-config $pc"
  # shellcheck disable=SC2046,SC2086
  "$cxx" -std=c++20 $cxxflags "$source" -o "$work/$component-pc" $(pkg-config --cflags --libs "$pc")
  LD_LIBRARY_PATH=$(dirname "$(find "$prefix" -name 'libmynaportal_core.*' | head -1)") "$work/$component-pc"
done

expect_failure() {  # expect_failure COMPONENT TEXT: find_package fails naming the problem
  if configure "$work/fail-$1" "$1" >"$work/fail.log" 2>&1; then
    echo "find_package(MynaPortal COMPONENTS $1) succeeded"; exit 1
  fi
  grep -q "$2" "$work/fail.log" || { cat "$work/fail.log"; echo "no message '$2'"; exit 1; }
  echo "-- $1: fails clearly ($2)"
}
expect_failure nosuch "has no component 'nosuch'"
rm -f "$cmake_dir"/MynaPortal-listener-targets*.cmake
expect_failure listener "component 'listener' is not installed"
echo "package tests passed"
