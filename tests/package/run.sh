#!/usr/bin/env bash
# Installs the SDK from the build tree into a temporary prefix, then configures, builds and
# runs tests/package as a separate consumer project with find_package(MynaPortal).
set -euo pipefail
build_dir=$1 source_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/myna-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/lib/pkgconfig/mynaportal.pc" || test -f "$work"/prefix/lib/*/pkgconfig/mynaportal.pc
cmake -S "$source_dir/tests/package" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
# The pkg-config file works too.
PKG_CONFIG_PATH=$(dirname "$(find "$work/prefix" -name mynaportal.pc)") \
  g++ -std=c++17 "$source_dir/tests/package/consumer.cpp" -o "$work/consumer-pc" \
  $(PKG_CONFIG_PATH=$(dirname "$(find "$work/prefix" -name mynaportal.pc)") pkg-config --cflags --libs mynaportal)
"$work/consumer-pc"
