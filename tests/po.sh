#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/po.sh: the zh_CN catalogue is valid and complete (issue 17).
#
# msgfmt --check accepts po/zh_CN.po (formats match their msgids); no
# message is untranslated or fuzzy; every string the sources mark today
# (xgettext over po/POTFILES.in with po/Makevars' options, po/web.pot
# included) is in it, so a string marked and not translated fails here,
# not in front of a Chinese reader; every source file that marks a string
# is listed in po/POTFILES.in; and po/web.pot is what daemon/web/i18n.js
# says (po/web-pot.sh).
set -u
top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/..}" && pwd) || exit 99
PO=$top_srcdir/po/zh_CN.po
T=$(mktemp -d "${TMPDIR:-/tmp}/po.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; sed 's/^/# /' "$T/out"; }
check() { # DESCRIPTION COMMAND...: ok when the command succeeds
	d=$1; shift
	if "$@" > "$T/out" 2>&1; then ok "$d"; else notok "$d"; fi
}
for tool in msgfmt msgattrib msgcmp xgettext; do
	command -v $tool >/dev/null 2>&1 ||
	    { echo "Bail out! $tool is missing: apt-get install gettext"; exit 1; }
done

check "msgfmt --check accepts po/zh_CN.po" msgfmt --check -o /dev/null "$PO"
empty() { [ -z "$("$@" | grep '^msgid' | grep -v '^msgid ""$')" ] || { "$@"; false; }; }
check "no message of zh_CN is untranslated" empty msgattrib --untranslated "$PO"
check "no message of zh_CN is fuzzy" empty msgattrib --only-fuzzy "$PO"

# The options of po/Makevars, as po/Makefile passes them to xgettext.
opts=$(printf 'print:\n\t@echo $(XGETTEXT_OPTIONS)\n' |
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s \
    -f "$top_srcdir/po/Makevars" -f - print)
files=$(grep -v '^#' "$top_srcdir/po/POTFILES.in" | grep -v '^ *$')
# shellcheck disable=SC2086
(cd "$top_srcdir" && xgettext $opts --package-name=delistd -o "$T/now.pot" $files) > "$T/xgettext.err" 2>&1 ||
    { echo "Bail out! xgettext failed: $(cat "$T/xgettext.err")"; exit 1; }
check "every string the sources mark today is in zh_CN (msgcmp)" \
    msgcmp --use-untranslated "$PO" "$T/now.pot"

# A file that marks strings but is not in POTFILES.in is never extracted.
unlisted() {
	bad=0
	for f in $(cd "$top_srcdir" && grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|EV_)\("|ctl_fail(_status)?\(|lifecycle_event(_with)?\(' \
	    daemon plugins --include='*.c' | sort); do
		grep -qx "$f" "$top_srcdir/po/POTFILES.in" || { echo "$f"; bad=1; }
	done
	return $bad
}
check "every source file that marks a string is in po/POTFILES.in" unlisted

check "po/web.pot is daemon/web/i18n.js's en block (po/web-pot.sh)" \
    sh -c 'sh "$1/po/web-pot.sh" > "$2/web.pot" && cmp "$1/po/web.pot" "$2/web.pot" || diff "$1/po/web.pot" "$2/web.pot"' _ "$top_srcdir" "$T"
# The console's Chinese dictionary (daemon/web/i18n-zh.js, made by the
# build from the catalogue) has every key of the "en" block.
every_key() {
	python3 "$top_srcdir/po/web.py" js "$top_srcdir/po/web.pot" "$PO" > "$T/zh.js" &&
	python3 - "$top_srcdir/po/web.pot" "$T/zh.js" <<'EOF2'
import json, re, sys
keys = set(re.findall(r'^msgctxt "(.*)"$', open(sys.argv[1], encoding="utf-8").read(), re.M))
text = open(sys.argv[2], encoding="utf-8").read()
zh = json.loads(text[text.index("{"):text.rindex("}") + 1])
missing = sorted(keys - set(zh))
print("no Chinese for:", " ".join(missing)) if missing else None
sys.exit(1 if missing else 0)
EOF2
}
check "the console's Chinese (i18n-zh.js) has every key of i18n.js's en block" every_key
echo "1..$n"
