#!/bin/sh
# SPDX-License-Identifier: ISC
# po/web-import.sh [--keep]: moves the Chinese of the web console from
# daemon/web/i18n.js into po/zh_CN.po, the one catalogue.
#
# Run it after merging pages that added keys to both dictionaries of
# i18n.js, or C files that mark strings: it lists in po/POTFILES.in every
# .c file under daemon/ and plugins/ that marks a string (_(), N_(),
# NC_(), ctl_fail, lifecycle_event), remakes po/web.pot from the "en" block, merges every marked
# message of the tree into po/zh_CN.po (xgettext with po/Makevars' options
# over po/POTFILES.in, then msgmerge), writes each entry of the "zh-CN"
# block as the msgstr of its message (msgctxt: the key) and empties the
# block (--keep: leaves it). The build makes daemon/web/i18n-zh.js, the
# dictionary the pages load, from the catalogue. Then: tests/po.sh.
set -eu
keep=
[ "${1:-}" = --keep ] && keep=--keep
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
T=$(mktemp -d "${TMPDIR:-/tmp}/web-import.XXXXXX")
trap 'rm -rf "$T"' EXIT
{
	sed -n '/^#/p' po/POTFILES.in
	grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|EV_)\("|ctl_fail(_status)?\(|lifecycle_event(_with)?\(' daemon plugins \
	    --include='*.c' | LC_ALL=C sort
	echo po/web.pot
} > "$T/POTFILES.in"
cmp -s "$T/POTFILES.in" po/POTFILES.in || cp "$T/POTFILES.in" po/POTFILES.in
sh po/web-pot.sh > "$T/web.pot"
cmp -s "$T/web.pot" po/web.pot || cp "$T/web.pot" po/web.pot
opts=$(printf 'print:\n\t@echo $(XGETTEXT_OPTIONS)\n' |
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s \
    -f po/Makevars -f - print)
# shellcheck disable=SC2046,SC2086
xgettext $opts --package-name=delistd -o "$T/delistd.pot" \
    $(grep -v '^#' po/POTFILES.in | grep -v '^ *$')
msgmerge --quiet --update --backup=none --no-fuzzy-matching \
    po/zh_CN.po "$T/delistd.pot"
# shellcheck disable=SC2086
python3 po/web.py import $keep daemon/web/i18n.js po/zh_CN.po
