#!/bin/sh
# SPDX-License-Identifier: ISC
# cli-verbs.sh: delistctl's common options after the verb, "-" for
# standard input, and its exit statuses, against a real delistd (issue 12):
# -j/--json after a verb prints the daemon's JSON; a statement or a CSV
# read from "-" is taken as the same file would be; case check exits 4
# when the preflight finds errors, 3 when the daemon is down, and a stale
# socket or one the user may not open each get their own one-line message.
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"
P=1005001234567890
ctl track main $P --title "Best quality LED strip No.1" >/dev/null
id=$(ctl case open main $P --reason prohibited_words)
ctl case note "$id" "removed the absolute terms" --field title >/dev/null
# json_true TEXT FILTER [JQ ARGS...]: TEXT is JSON for which FILTER is true.
json_true() {
	_jt_text=$1 _jt_filter=$2; shift 2
	[ -n "$_jt_text" ] && printf '%s' "$_jt_text" |
	    jq -e "$@" "$_jt_filter" >/dev/null ||
	    { echo "not true of '$_jt_text': $_jt_filter"; return 1; }
}

# --- -j/--json after the verb ---------------------------------------------
run ctl cases -j
check "cases -j exits 0" expect_rc 0
check "... printing the daemon's JSON" json_true "$OUT" ".cases[0].id == $id"
check "... the same as -j before the verb" equals "$OUT" "$(ctl -j cases)"
run ctl case show "$id" --json
check "case show ID --json prints the case as JSON" json_true "$OUT" '.state == "rectifying"'
run ctl listings --shop main --json
check "listings --shop main --json, among the verb's own options" json_true "$OUT" ".listings[0].product_id == \"$P\""

# --- a statement from standard input --------------------------------------
printf 'I have rectified, please unblock' > "$T/template.txt"
run ctl case check "$id" --statement "$T/template.txt"
file_out=$OUT
check "case check with a template statement exits 4 (the preflight blocks)" expect_rc 4
run ctl case check "$id" --statement - < "$T/template.txt"
check "... the same statement on standard input (--statement -) exits 4 too" expect_rc 4
check "... with the same findings" equals "$OUT" "$file_out"
run ctl case check "$id" --statement - --json < "$T/template.txt"
check "... and with --json after it, exit 4 too" expect_rc 4
check "... printing the daemon's findings" json_true "$OUT" '.ok == false and .errors == 5'
printf '\377\376' > "$T/utf16.txt"
run ctl case check "$id" --statement - < "$T/utf16.txt"
check "a statement on standard input that is not UTF-8 is refused (exit 1)" sh -c '[ "$1" = 1 ] && [ "$2" = "delistctl: statement <stdin> is not UTF-8 (first bad byte at offset 0)" ]' _ "$RC" "$ERR"

printf '%s' "We removed the absolute terms best quality and No.1 from the title of listing $P; the new title is LED strip 5m warm white, see the attached screenshots with the address bar." > "$T/good.txt"
ctl track main $P --title "LED strip 5m warm white" >/dev/null
run ctl case check "$id" --statement "$T/good.txt"
check "a good statement passes (exit 0)" expect_rc 0
good_out=$OUT
run ctl case check "$id" --statement - < "$T/good.txt"
check "... from standard input too, with the same output" sh -c '[ "$1" = 0 ] && [ "$2" = "$3" ]' _ "$RC" "$OUT" "$good_out"

run ctl case appeal "$id" --platform-case 500 --statement - < "$T/template.txt"
check "an appeal the preflight blocks is refused with exit 4" expect_rc 4
check "... and says why" contains "$ERR" "the preflight found 3 errors"
run ctl case appeal "$id" --platform-case 501 --statement - < "$T/good.txt"
check "case appeal --statement - records the appeal" sh -c '[ "$1" = 0 ] && case "$2" in *"appeal 1 recorded (platform case 501)"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "... with the statement read from standard input" json_true "$(ctl --json case show "$id")" '.appeals[0].statement == $s' --rawfile s "$T/good.txt"

# --- a CSV from standard input --------------------------------------------
printf 'shop,product_id,title\nmain,1005007000000101,"Cotton socks, 3 pairs"\nmain,1005007000000102\n' > "$T/good.csv"
run ctl import - < "$T/good.csv"
check "import - takes the CSV from standard input" sh -c '[ "$1" = 0 ] && case "$2" in *"imported 2 listings (2 newly tracked)"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "... with its quoted title" contains "$(ctl --json listings)" '"title": "Cotton socks, 3 pairs"'
printf 'main,1005007000000201\nnosuch,1005007000000202\n' > "$T/bad.csv"
run ctl import - < "$T/bad.csv"
check "a bad CSV on standard input is refused (exit 1)" expect_rc 1
check "... naming its line as <stdin>:2" contains "$ERR" "<stdin>:2: unknown shop"
check "... and nothing is imported" lacks "$(ctl --json listings)" 1005007000000201

# --- permission denied: a user not in the socket's group -------------------
nobody_ctl() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$DELISTCTL" -s "$SOCK" "$@"; }
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
	run nobody_ctl status
	check "a user who may not open the socket gets exit 3" expect_rc 3
	check "... and is told permission is denied, on which socket" contains "$ERR" "delistctl: permission denied on $SOCK:"
	check "... which group may use it" contains "$ERR" "usermod -aG"
	check "... in one line" equals "$(printf '%s\n' "$ERR" | wc -l)" 1
else
	pass "permission denied # SKIP needs root, setpriv and the user nobody"
fi

# --- the daemon is gone: its socket is stale --------------------------------
stop_daemon KILL
check "delistd killed leaves its socket behind" test -S "$SOCK"
run ctl status
check "status on a stale socket exits 3 (daemon not reachable)" expect_rc 3
check "... saying the socket is stale (connection refused), naming it" contains "$ERR" "delistctl: no delistd answers at $SOCK: connection refused: the socket is stale"
check "... how to start one, or to pass -s" sh -c 'case "$1" in *"systemctl start delistd"*"-s PATH") ;; *) exit 1;; esac' _ "$ERR"
check "... in one line" equals "$(printf '%s\n' "$ERR" | wc -l)" 1
run ctl case check "$id" --statement "$T/template.txt"
check "case check with the daemon down exits 3, not the 4 of a blocked appeal" expect_rc 3
run ctl events --follow
check "events --follow with the daemon down exits 3, saying the socket is stale" sh -c '[ "$1" = 3 ] && case "$2" in *"the socket is stale"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
finish
