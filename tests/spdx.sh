#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/spdx.sh [--fix]: every source file names its licence (LICENSE, ISC)
# with an SPDX line near its top (--fix adds the line where it is
# missing), and every manual page in its LICENSE section.
# A TAP test in make check without --fix.
top=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd)
cd "$top" || exit 1
fix=
[ "${1:-}" = --fix ] && fix=1
tag='SPDX-License-Identifier: ISC'
files=$(find daemon plugins include tests contrib etc po .ci configure.ac \
    Makefile.am autogen.sh -type f \( -name '*.c' -o -name '*.h' \
    -o -name '*.sh' -o -name '*.py' -o -name '*.js' -o -name '*.css' \
    -o -name '*.html' -o -name '*.am' -o -name '*.ac' -o -name '*.in' \
    -o -name run \) 2>/dev/null | grep -v -e '/fixtures/' -e '^po/Makefile' \
    -e 'i18n-zh\.js$' -e '^tests/layers/' -e 'Makefile\.in$' \
    -e 'config\.h\.in$' | LC_ALL=C sort)
n=0
bad=0
for f in $files; do
	n=$((n + 1))
	if head -n 3 "$f" | grep -q "$tag"; then
		echo "ok $n - $f"
		continue
	fi
	if [ -n "$fix" ]; then
		case $f in
		*.c|*.h|*.css) line="/* $tag */" ;;
		*.js) line="// $tag" ;;
		*.html) line="<!-- $tag -->" ;;
		*.in) case $f in *.pc.in) line="# $tag" ;; *.service.in) line="# $tag" ;; *) line="# $tag" ;; esac ;;
		*) line="# $tag" ;;
		esac
		first=$(head -n 1 "$f")
		case $first in
		'#!'*|'<!DOCTYPE'*)
			{ echo "$first"; echo "$line"; tail -n +2 "$f"; } > "$f.spdx" ;;
		*)
			{ echo "$line"; cat "$f"; } > "$f.spdx" ;;
		esac
		cat "$f.spdx" > "$f" && rm -f "$f.spdx"
		echo "ok $n - $f (fixed)"
		continue
	fi
	echo "not ok $n - $f has no \"$tag\" line in its first three"
	bad=$((bad + 1))
done
# Every manual page names the licence in its LICENSE section.
for f in $(find daemon plugins -type f -name '*.[1-8]' | LC_ALL=C sort); do
	n=$((n + 1))
	if sed -n '/^\.Sh LICENSE/,/^\.Sh /p' "$f" | grep -q 'ISC'; then
		echo "ok $n - $f names the ISC licence"
	else
		echo "not ok $n - $f has no LICENSE section naming ISC"
		bad=$((bad + 1))
	fi
done
echo "1..$n"
[ "$bad" -eq 0 ]
