#!/bin/sh
# Runs the client benchmarks at full size (issue [3/6] items 3, 4, 5) and prints their
# FIGURE lines (plus "#" detail lines). Takes about 5 minutes on 2 cores.
# usage: bench/run-client.sh [BUILD_DIR]
#   BUILD_DIR: a Release build configured with -DMYNA_BUILD_BENCH=ON (default: build)
#   ninja -C BUILD_DIR bench_stream bench_retrieval bench_batch myna-sandbox
set -eu
build=${1:-build}
"$build/bench/bench_stream"       # 1 GiB streamed; peak RSS of the client process
"$build/bench/bench_retrieval"    # 1000 interleaved SDK/raw pairs, then 30 under callgrind
"$build/bench/bench_batch"        # 1,000 and 10,000 citizens (3 runs each), delay 200 ms, concurrency 64
