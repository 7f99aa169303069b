#!/bin/sh
# SPDX-License-Identifier: ISC
# fuzz.sh: a smoke run of each fuzz target (tests/fuzz/): the document
# sniffers', the image URL fingerprint's ("image_url"), the aliexpress
# source's answer parsers' ("ae"), the CSV lines of delistctl import
# ("csv"), the rejection reason reader ("reason"), the configuration
# parser ("config") and a control API request up to its handler ("http":
# method, path, query, headers, JSON body through the route table), from
# its seeds (tests/fuzz/corpus/FORMAT/).
#
# Always: the target linked with the replay driver, over every seed, every
# cut of it and every single-byte change (deterministic, under the build's
# sanitizers). When configure found clang with libFuzzer: FUZZ_RUNS
# (default 100000; a tenth for config, whose runs are slower: libconfig's
# parser and every check) libFuzzer executions from the seeds, seed 1,
# each target's run bounded to FUZZ_SECONDS (default 60); a finding is
# kept in the build's tests/fuzz/ as crash-* for replay. Long runs are by
# hand, e.g. tests/fuzz/fuzz_jpeg -max_total_time=600 DIR corpus/jpeg.
. "$(dirname "$0")/lib.sh"

runs=${FUZZ_RUNS:-100000}
secs=${FUZZ_SECONDS:-60}
# libconfig's own leaks on a failed parse are not ours (lsan.supp).
LSAN_OPTIONS=suppressions=$top_srcdir/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}
export LSAN_OPTIONS

for f in pdf jpeg png image_url ae csv reason config http; do
	corpus=$top_srcdir/tests/fuzz/corpus/$f
	run "$top_builddir/tests/fuzz/replay_$f" -m "$corpus"
	check "$f: the replay driver survives the seeds, cut and changed" \
	    expect_rc 0
	diag "$ERR"

	fuzzer=$top_builddir/tests/fuzz/fuzz_$f
	if [ ! -x "$fuzzer" ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - $f: libFuzzer run # SKIP no clang with libFuzzer"
		continue
	fi
	mkdir -p "$T/$f"
	n=$runs
	[ "$f" = config ] && n=$((runs / 10))
	run "$fuzzer" -runs="$n" -max_total_time="$secs" -seed=1 -max_len=8192 \
	    -artifact_prefix="$top_builddir/tests/fuzz/" "$T/$f" "$corpus"
	check "$f: $n libFuzzer runs from the seeds find nothing" \
	    expect_rc 0
	diag "$(printf '%s\n' "$ERR" | grep -E '^(Done|#[0-9]+ +DONE)' || true)"
done

finish
