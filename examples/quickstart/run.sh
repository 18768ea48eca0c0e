#!/usr/bin/env bash
# The README's first program against the sandbox, as a newcomer runs it: start
# `myna sandbox --state-dir DIR` (it writes DIR/config), consent as a sandbox citizen with
# `myna login`, run the program with DIR/config, stop the sandbox. Used by scripts/quickstart
# and by CTest (example_quickstart).
# usage: run.sh MYNA QUICKSTART [CITIZEN]
set -euo pipefail
myna=$1 quickstart=$2 citizen=${3:-C0000005}
dir=$(mktemp -d "${TMPDIR:-/tmp}/myna-quickstart-XXXXXX")
sandbox_pid=
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill -INT "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$dir" "$dir.log"
}
trap cleanup EXIT

"$myna" sandbox --state-dir "$dir" >"$dir.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 300); do
  [ -f "$dir/config" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$dir.log" >&2; exit 1; }
  sleep 0.1
done
[ -f "$dir/config" ] || { echo "myna sandbox wrote no configuration" >&2; exit 1; }
rm -f "$dir.log"

# A person would open the printed URL in a browser; --sandbox-citizen consents without one.
"$myna" login --config "$dir/config" --citizen "$citizen" --sandbox-citizen "$citizen" --no-browser >/dev/null
"$quickstart" "$dir/config" "$citizen"
