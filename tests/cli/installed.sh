#!/usr/bin/env bash
# The installed package carries a working `myna` (install(TARGETS myna RUNTIME)).
set -euo pipefail
build_dir=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/myna-install-XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
"$prefix/bin/myna" --version
"$prefix/bin/myna" catalog expenses --format csv | grep -q '^6,窓口負担相当額,copayment,'
