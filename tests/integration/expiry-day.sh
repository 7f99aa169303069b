#!/bin/sh
# SPDX-License-Identifier: ISC
# expiry-day.sh: "--expires 2026-09-30" means valid through that whole day in
# the shop's zone (issue 12). On the test clock, through the real delistd and
# delistctl: at 23:00 Beijing time on 30 September the document is not
# expired (no doc.expired, "doc show" and "case check" agree), its last-day
# alert is out; doc.expired fires when 1 October begins there. A shop in
# America/New_York gets the whole of its own day.
. "$(dirname "$0")/lib.sh"

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
at() { date -u -d "$1" +%s; }
pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }
# events TYPE DOC: how many events of the type the trail has for the doc.
events() {
	ctl --json events | tr -d ' \n' | grep -o "\"type\":\"$1\"[^}]*\"document\":$2," | grep -c .
}

P1=1005003000000001
conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; timezone = "Asia/Shanghai"; },
	{ name = "us"; timezone = "America/New_York"; } );'
setclock "$(at 2026-09-20T12:00:00+08:00)"
check "delistd starts on the test clock" start_daemon "$conf"

ctl track main $P1 --title "Plain runner shoe" >/dev/null
id=$(ctl case open main $P1 --reason ip_infringement)
pdf "$T/auth.pdf" auth
doc=$(ctl doc add "$T/auth.pdf" --type brand_authorization --shop main --issuer "Acme" --expires 2026-09-30 2>/dev/null)
ctl case doc "$id" "$doc" >/dev/null
pdf "$T/us.pdf" us
usdoc=$(ctl doc add "$T/us.pdf" --type trademark --shop us --expires 2026-09-30 2>/dev/null)
run ctl --json doc show "$doc"
check "its expiry is the end of 30 September in Asia/Shanghai" contains "$OUT" '"expires_at": "2026-09-30T16:00:00Z"'

# 23:00 on the day itself, Beijing time (15:00 UTC).
setclock "$(at 2026-09-30T23:00:00+08:00)"
check "at 23:00 local on its expiry date there is no doc.expired" equals "$(events doc.expired "$doc")" 0
check "... but its last-day alert (after the 30-day one at its adding)" equals "$(events doc.expiring "$doc")" 2
run ctl --json events
check "... saying it is valid through the day" contains "$OUT" "valid through 2026-09-30 (Asia/Shanghai)"
run ctl --json doc show "$doc"
check "doc show does not call it expired" contains "$OUT" '"expired": false'
run ctl --json case check "$id"
check "case check does not call it expired" lacks "$OUT" '"code": "doc_expired"'
run ctl doc list
check "doc list does not call it expired" lacks "$OUT" "(expired)"
pdf "$T/late.pdf" late
run ctl doc add "$T/late.pdf" --type ce --shop main --expires 2026-09-30
check "a document added on its last day is not refused as expired" lacks "$OUT$ERR" "expired"

setclock "$(at 2026-09-30T23:59:59+08:00)"
check "one second before the day ends, still no doc.expired" equals "$(events doc.expired "$doc")" 0
setclock "$(at 2026-10-01T00:00:00+08:00)"
check "doc.expired fires when the next day begins in the shop's zone" wait_for 5 test "$(events doc.expired "$doc")" = 1
run ctl --json case check "$id"
check "case check now calls it expired" contains "$OUT" '"code": "doc_expired"'
check "the New York shop's document is still valid (its day has hours left)" equals "$(events doc.expired "$usdoc")" 0
setclock "$(at 2026-10-01T00:00:00-04:00)"
check "... and expires when 1 October begins in New York" wait_for 5 test "$(events doc.expired "$usdoc")" = 1

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
