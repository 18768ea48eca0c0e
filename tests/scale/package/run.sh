#!/usr/bin/env bash
# Installs the SDK from the build tree into a temporary prefix, then builds and runs a
# consumer that asks for find_package(MynaPortal COMPONENTS postgres).
set -euo pipefail
build_dir=$1 source_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/myna-pg-package-XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/tests/scale/package" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/postgres_consumer"
