#!/bin/sh
# tests/bench/scan.sh: the compliance scan's matching (core
# preflight_scan_text) over BENCH_N (100,000) generated titles, a tenth of
# them holding a banned term or an unauthorized brand, some full-width.
# Prints the wall time and titles per second; the goal is under 2 s for
# 100,000 titles. Never passes or fails on time: exit 1 only if the titles
# found at risk are not those planted, 2 if the program is not built.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/scan.sh
set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
SCAN=$top_builddir/tests/bench/scan
[ -x "$SCAN" ] || { echo "scan.sh: $SCAN is not built (make tests/bench/scan)" >&2; exit 2; }
exec "$SCAN" "${BENCH_N:-100000}"
