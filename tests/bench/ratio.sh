#!/bin/sh
# SPDX-License-Identifier: ISC
# ratio.sh: the daemon's cost per status check beside the floor's (issue
# 21: at most 1.35 times the floor measured in the same run), at each rate
# of BENCH_RATES ("5 20 80"), BENCH_RUNS (3) times each, interleaved
# (floor, daemon, floor, daemon, ...), then the medians and their ratio.
#
# BENCH_METRIC=ir (the default): instructions per check under valgrind's
#   callgrind, floor.sh BENCH_CALLGRIND=1 BENCH_RUNS=0 BENCH_PER_TICK=RATE
#   beside source-scale.sh cost BENCH_RATE=RATE; stable on a shared
#   machine. About 70 s a pair.
# BENCH_METRIC=cpu: CPU time per check, floor.sh BENCH_RUNS=1 (getrusage,
#   user + system) beside source-scale.sh rate (the scheduler's ns
#   counters of the daemon, user + system); the issue's own words, but
#   noisy where other work shares the machine. About 90 s a pair.
# BENCH_METRIC=both: the two, one after the other.
#
# Run from the build directory (or with top_builddir set), with the
# benchmarks built: make tests/bench/floor tests/fakes/fake_aliexpress.
# BENCH_KEEP=DIR keeps each run's output there.
set -u
here=$(cd "$(dirname "$0")" && pwd)
RATES=${BENCH_RATES:-5 20 80}
RUNS=${BENCH_RUNS:-3}
METRIC=${BENCH_METRIC:-ir}
TARGET=1.35

case $METRIC in ir | cpu | both) ;; *)
	echo "ratio.sh: BENCH_METRIC is ir, cpu or both" >&2
	exit 2
	;;
esac
case $RUNS in '' | *[!0-9]* | 0)
	echo "ratio.sh: BENCH_RUNS is a whole number >= 1" >&2
	exit 2
	;;
esac
T=$(mktemp -d "${TMPDIR:-/tmp}/dlratio.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
bad=0

median() {
	sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
	    print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# one METRIC RATE RUN: a floor run and a daemon run; appends
# "floor VALUE" and "daemon VALUE" to $T/METRIC-RATE.
one() {
	out=$T/$1-$2-$3
	if [ "$1" = ir ]; then
		BENCH_RUNS=0 BENCH_CALLGRIND=1 BENCH_PER_TICK=$2 \
		    sh "$here/floor.sh" > "$out.floor" 2>&1
		f=$(sed -n 's/.*checks, \([0-9][0-9]*\) instructions per check.*/\1/p' "$out.floor")
		BENCH_RATE=$2 sh "$here/source-scale.sh" cost > "$out.daemon" 2>&1
		d=$(sed -n 's/^cost run.*checks, \([0-9][0-9]*\) instructions per check.*/\1/p' "$out.daemon")
	else
		BENCH_RUNS=1 BENCH_PER_TICK=$2 sh "$here/floor.sh" > "$out.floor" 2>&1
		f=$(sed -n 's/^floor run.*; cpu \([0-9.]*\) us\/check.*/\1/p' "$out.floor")
		BENCH_RATE=$2 sh "$here/source-scale.sh" rate > "$out.daemon" 2>&1
		d=$(sed -n 's/^  cpu .*us\/check (.*), \([0-9.]*\) us\/check from schedstat.*/\1/p' "$out.daemon")
	fi
	[ -z "${BENCH_KEEP:-}" ] || cp "$out.floor" "$out.daemon" "$BENCH_KEEP"/ 2>/dev/null
	if [ -z "$f" ] || [ -z "$d" ]; then
		echo "ratio.sh: $1 at rate $2, run $3: no figure (floor '$f', daemon '$d'):" >&2
		tail -n 5 "$out.floor" "$out.daemon" >&2
		bad=1
		return
	fi
	echo "floor $f" >> "$T/$1-$2"
	echo "daemon $d" >> "$T/$1-$2"
	awk -v m="$1" -v r="$2" -v n="$3" -v f="$f" -v d="$d" 'BEGIN {
	    printf "%s rate %s run %d: floor %s, daemon %s, %.2fx\n", m, r, n, f, d, d / f }' >&2
}

report() {
	unit=$([ "$1" = ir ] && echo "Ir/check" || echo "us/check")
	printf '%-4s %5s %16s %16s %13s\n' "$1" rate "floor $unit" "daemon $unit" daemon/floor
	for r in $RATES; do
		f=$(awk '$1 == "floor" { print $2 }' "$T/$1-$r" 2>/dev/null | median)
		d=$(awk '$1 == "daemon" { print $2 }' "$T/$1-$r" 2>/dev/null | median)
		awk -v m="$1" -v r="$r" -v f="$f" -v d="$d" -v t="$TARGET" 'BEGIN {
		    if (f == "-" || d == "-") { printf "%-4s %5s %16s %16s %13s\n", m, r, f, d, "-"; exit }
		    printf "%-4s %5s %16s %16s %7.2f %s\n", m, r, f, d, d / f, d / f <= t ? "<= " t : "> " t }'
	done
}

metrics=$METRIC
[ "$METRIC" = both ] && metrics="ir cpu"
echo "# ratio: rates $RATES, $RUNS runs each, interleaved; medians; target daemon/floor <= $TARGET"
for m in $metrics; do
	run=1
	while [ "$run" -le "$RUNS" ]; do
		for r in $RATES; do
			one "$m" "$r" "$run"
		done
		run=$((run + 1))
	done
	report "$m"
done
exit "$bad"
