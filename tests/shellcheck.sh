#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/shellcheck.sh: shellcheck (severity warning and above) on every
# shell script of the tree: *.sh, .ci/run, the bash completion. The
# deliberate exceptions are in .shellcheckrc, each with its reason. TAP.
set -u
top=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
if ! command -v shellcheck >/dev/null 2>&1; then
	echo "1..0 # SKIP shellcheck is missing (apt-get install shellcheck)"
	exit 0
fi
cd "$top" || exit 1
# Ours only: not the build directories nor automake's build-aux/.
find . \( -path ./build -o -path ./debian/build -o -path ./.git \
    -o -path ./build-aux -o -name 'delistd-*' \) -prune -o \
    -type f -name '*.sh' -print | sort > "${TMPDIR:-/tmp}/shellcheck.$$"
n=0 failed=0
while read -r f; do
	n=$((n + 1))
	if out=$(shellcheck -S warning -f gcc "$f" 2>&1); then
		echo "ok $n - $f"
	else
		failed=$((failed + 1))
		echo "not ok $n - $f"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done <<EOF2
$(cat "${TMPDIR:-/tmp}/shellcheck.$$"; echo ./.ci/run; echo ./autogen.sh; echo ./etc/completion/bash/delistctl)
EOF2
rm -f "${TMPDIR:-/tmp}/shellcheck.$$"
echo "1..$n"
