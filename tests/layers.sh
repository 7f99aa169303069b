#!/bin/sh
# SPDX-License-Identifier: ISC
# layers.sh: the floors of daemon/LAYERS hold in the tree and in the built
# objects, and the checker fails on a fixture that breaks each rule.
# TAP.

: "${top_srcdir:=.}" "${top_builddir:=.}"
check="$top_srcdir/tests/layers/check.sh"
layers="$top_srcdir/daemon/LAYERS"
fixtures="$top_srcdir/tests/layers/fixtures"
CC=${CC:-cc}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}
notok() {
	n=$((n + 1))
	echo "not ok $n - $*"
}

# The built tree: there are objects to read, and no fault.
if ls "$top_builddir"/daemon/core/.libs/*.o "$top_builddir"/daemon/ctl/*.o \
    "$top_builddir"/daemon/*.o >/dev/null 2>&1; then
	ok "the objects of core, ctl and the shell are built"
else
	notok "the objects of core, ctl and the shell are built"
fi
if sh "$check" "$layers" "$top_srcdir" "$top_builddir" > "$tmp/tree.out"; then
	ok "the tree keeps to daemon/LAYERS"
else
	notok "the tree keeps to daemon/LAYERS"
fi
sed 's/^/# /' "$tmp/tree.out"

# A fixture: its tree (with the common files) compiled, then checked
# against the real LAYERS; the check must fail and say EXPECT.
fixture() {
	name=$1
	expect=$2
	t="$tmp/$name"
	mkdir -p "$t/src" "$t/obj"
	cp -R "$fixtures/common/." "$fixtures/$name/." "$t/src/"
	(cd "$t/src" && find . -name '*.c') | while read -r c; do
		grep -q '#include' "$t/src/$c" && continue
		o="$t/obj/$(dirname "$c")/fx-$(basename "$c" .c).o"
		mkdir -p "$(dirname "$o")"
		$CC -c -o "$o" "$t/src/$c" || echo "# cannot compile $c"
	done
	if sh "$check" "$layers" "$t/src" "$t/obj" > "$t/out"; then
		notok "$name: the check fails"
	else
		ok "$name: the check fails"
	fi
	if grep -q "$expect" "$t/out"; then
		ok "$name: it says $expect"
	else
		notok "$name: it says $expect"
	fi
	grep -v ': note: ' "$t/out" | sed 's/^/# /'
}

fixture core-include 'daemon/core/bad.c: includes <event2/event.h>, of libevent'
fixture core-calls-shell 'fx-bad.o: calls store_fixture of floor shell'
fixture ctl-calls-shell 'fx-bad.o: calls store_fixture of floor shell'
fixture plugin-calls-shell 'fx-bad.o: calls store_fixture of floor shell'
fixture plugin-includes-daemon \
    'plugins/bad/bad.c: includes "delistd.h" (daemon/delistd.h, floor shell)'
fixture shell-upward \
    'fx-store.o: calls api_fixture of api (shell floor api) from shell floor store'

echo "1..$n"
