#!/bin/sh
# SPDX-License-Identifier: ISC
# expiry.sh: the document expiry watch, on the test clock, through the real
# delistd, with a webhook sink (tests/fakes/fake_webhook) that sees the
# alerts.
#
# A document is valid through the whole of its expiry date: it expires at
# 00:00 of the next day in its zone, and the alerts count back from then.
# Three documents: A (shop main, zone Asia/Shanghai, two products, one of
# them with an open case) expiring 2027-03-01; B (shop eu, Europe/Berlin,
# shop-wide) expiring 2027-02-10; C (no shop: the daemon's zone) added 4
# days before it expires. Each alert is checked one second before its mark
# (nothing) and at it (exactly one event, with its severity, naming the
# covered listings and open cases); an alert due while the daemon was down
# fires once at start, and never again after another restart; a jump over
# several marks raises only the latest; and the sink gets every alert.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/webhook.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

check "fake_webhook starts" start_fake_webhook

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
at() { date -u -d "$1" +%s; }

# The trail's events not about a case, one per line (top-level objects of
# the "events" array, split by brace depth: "data" holds objects too).
doc_events() {
	ctl --json events > "$T/events.json"
	awk 'BEGIN { RS = "\001" } {
		d = 0; out = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c == "\n") c = " "
			if (c == "{") d++
			if (d >= 2) out = out c
			if (c == "}") { d--; if (d == 1) { print out; out = "" } }
		}
	}' "$T/events.json" | grep '"type": "doc\.\(expiring\|expired\)"'
}
# alerts DOC [MARK]: the expiry events of a document (of one mark).
alerts() {
	doc_events | grep "\"document\": $1," |
	    { if [ $# -gt 1 ]; then grep "\"mark\": $2[ ,}]"; else cat; fi; }
}
nalerts() { alerts "$@" | grep -c . ; }
has_n() { n=$1; shift; [ "$(nalerts "$@")" = "$n" ]; }
# hook_n TYPE: how many events of the type the sink took (by id: a
# delivery repeated across a restart carries the same id).
hook_n() {
	grep "event=$1 .*status=200" "$HOOKLOG" 2>/dev/null |
	    sed -n 's/.* id=\([0-9]*\) .*/\1/p' | sort -u | grep -c .
}

P1=1005001000000001
P2=1005001000000002
P3=1005001000000003
P4=1005001000000004
P5=1005001000000005

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
	plugin_dir = "$PLUGIN_DIR";
	timezone = "Asia/Shanghai";
};
shops = ( { name = "main"; }, { name = "eu"; timezone = "Europe/Berlin"; } );
plugins = (
	{ name = "ops"; module = "webhook"; url = "$URL/hook";
	  events = [ "doc.*" ]; min_severity = "warning";
	  retry_base = "1s"; retry_cap = "2s"; }
);
CONF

T0=$(at 2027-01-01T00:00:00Z)
setclock "$T0"
check "delistd starts on the test clock" start_daemon "$conf"
pdf() { printf '%%PDF-1.4\n%% %s\n%%%%EOF\n' "$2" > "$1"; }

ctl track main "$P1" >/dev/null
ctl track main "$P2" >/dev/null
ctl track main "$P3" >/dev/null
ctl track eu "$P4" >/dev/null
C=$(ctl case open main "$P1" --reason missing_certification)
pdf "$T/a.pdf" a
pdf "$T/b.pdf" b
pdf "$T/c.pdf" c
A=$(ctl doc add "$T/a.pdf" --type ce --shop main --products "$P1,$P2" --expires 2027-03-01 2>/dev/null)
B=$(ctl doc add "$T/b.pdf" --type trademark --shop eu --expires 2027-02-10 2>/dev/null)
C_DOC=$(ctl doc add "$T/c.pdf" --type fcc --products "$P5" --expires 2027-01-05 2>/dev/null)
check "three documents are stored" equals "$A $B $C_DOC" "1 2 3"

# --- C: added 4 days before it expires -----------------------------------------
check "a document added inside its 7-day window gets the 7-day alert at once" has_n 1 "$C_DOC" 7
check "... saying the days it really has left" contains "$(alerts "$C_DOC" 7)" "is valid through 2027-01-05 (Asia/Shanghai), 5 days left"
check "... \"days_left\": 5" contains "$(alerts "$C_DOC" 7)" '"days_left": 5'
check "... and not the 30-day one it overtook" has_n 0 "$C_DOC" 30
check "A and B have no alert yet" equals "$(nalerts "$A") $(nalerts "$B")" "0 0"
# No shop: the daemon's zone, so 00:00 +08:00 on 2027-01-06, the day after.
C0=$(at "2027-01-06T00:00:00+08:00")
setclock $((C0 - 1))
check "no doc.expired one second before the day after it begins" has_n 0 "$C_DOC" 0
check "... but the 1-day alert, whose mark the clock passed" has_n 1 "$C_DOC" 1
check "... critical" contains "$(alerts "$C_DOC" 1)" '"severity": "critical"'
setclock "$C0"
check "doc.expired when the day after begins, at 00:00 in the daemon's zone" has_n 1 "$C_DOC" 0
check "... critical" contains "$(alerts "$C_DOC" 0)" '"severity": "critical"'
check "... saying it expired at the end of its date" contains "$(alerts "$C_DOC" 0)" "expired at the end of 2027-01-05 (Asia/Shanghai)"

# --- B: a shop-wide document in Europe/Berlin --------------------------------
B30=$(at "2027-01-12T00:00:00+01:00")
setclock $((B30 - 1))
check "B: nothing one second before its 30-day mark" has_n 0 "$B"
setclock "$B30"
check "B: doc.expiring at 00:00 Berlin, 30 days before it ends" has_n 1 "$B" 30
check "... at the mark" contains "$(alerts "$B" 30)" '"at": "2027-01-11T23:00:00Z"'
check "... a warning" contains "$(alerts "$B" 30)" '"severity": "warning"'
check "... naming the shop's listing" contains "$(alerts "$B" 30)" "\"product_id\": \"$P4\""
check "... and the zone" contains "$(alerts "$B" 30)" '"timezone": "Europe/Berlin"'
check "... not another shop's listing" lacks "$(alerts "$B" 30)" "$P1"

# --- A: every mark, exactly -----------------------------------------------
A30=$(at "2027-01-31T00:00:00+08:00")
A7=$(at "2027-02-23T00:00:00+08:00")
A1=$(at "2027-03-01T00:00:00+08:00")
A0=$(at "2027-03-02T00:00:00+08:00")
setclock $((A30 - 1))
check "A: nothing one second before its 30-day mark" has_n 0 "$A"
setclock "$A30"
check "A: doc.expiring 30 days before" has_n 1 "$A" 30
a30=$(alerts "$A" 30)
check "... a warning" contains "$a30" '"severity": "warning"'
check "... saying so" contains "$a30" "is valid through 2027-03-01 (Asia/Shanghai), 30 days left"
check "... naming the first listing it covers" contains "$a30" "\"product_id\": \"$P1\""
check "... and the second" contains "$a30" "\"product_id\": \"$P2\""
check "... not a listing it does not cover" lacks "$a30" "$P3"
check "... naming the open case" contains "$(echo "$a30" | tr -d ' ')" "\"cases\":[$C]"
check "... in its sentence too" contains "$a30" "open cases: $C"
setclock $((A30 + 3600))
check "... once (an hour later there is still one)" has_n 1 "$A" 30

setclock $((A7 - 1))
check "A: no 7-day alert one second before its mark" has_n 0 "$A" 7
check "B: the jump over its 7-day, 1-day and expiry marks raised only the latest" has_n 1 "$B" 0
check "... not the 7-day one" has_n 0 "$B" 7
check "... nor the 1-day one" has_n 0 "$B" 1
check "... saying how late it is, not \"today\"" contains "$(alerts "$B" 0)" "expired at the end of 2027-02-10 (Europe/Berlin), 11 days ago"
setclock "$A7"
check "A: doc.expiring 7 days before" has_n 1 "$A" 7
check "... a warning" contains "$(alerts "$A" 7)" '"severity": "warning"'
check "... at the mark" contains "$(alerts "$A" 7)" '"at": "2027-02-22T16:00:00Z"'

# --- a restart: fired alerts stay fired, missed ones fire once ------------------
stop_daemon
check "delistd stops" equals "$DAEMON_RC" 0
setclock $((A1 + 3600))
check "delistd starts again an hour after the 1-day mark" start_daemon "$conf"
check "A: the 1-day alert missed while down fires once at start" wait_for 5 has_n 1 "$A" 1
check "... critical" contains "$(alerts "$A" 1)" '"severity": "critical"'
check "... saying 1 day" contains "$(alerts "$A" 1)" "is valid through 2027-03-01 (Asia/Shanghai), 1 day left"
check "... the earlier alerts are not repeated" equals "$(nalerts "$A" 30) $(nalerts "$A" 7)" "1 1"
stop_daemon
check "delistd starts a third time" start_daemon "$conf"
check "... and repeats nothing" equals "$(nalerts "$A") $(nalerts "$B") $(nalerts "$C_DOC")" "3 2 3"

run ctl reload
check "a reload (the alerts' times computed again) repeats nothing" equals "$(nalerts "$A") $(nalerts "$B") $(nalerts "$C_DOC")" "3 2 3"
run ctl --json doc show "$A"
check "... and keeps A's next alert at its expiry" contains "$OUT" '"next_alert_at": "2027-03-01T16:00:00Z"'

setclock $((A0 - 1))
check "A: no doc.expired one second before its date ends" has_n 0 "$A" 0
setclock "$A0"
check "A: doc.expired when its date has ended" has_n 1 "$A" 0
check "... critical" contains "$(alerts "$A" 0)" '"severity": "critical"'
check "... naming the listings and the open case" contains "$(alerts "$A" 0)" "It covers main/$P1, main/$P2; open cases: $C"
setclock $((A0 + 40 * 86400))
check "no alert ever after" equals "$(nalerts "$A") $(nalerts "$B") $(nalerts "$C_DOC")" "4 2 3"
run ctl doc list --expiring 1d
check "doc list --expiring shows the expired ones" contains "$OUT" "2027-03-01 (expired)"

# --- a reload that moves a shop to another zone moves its alerts --------------
pdf "$T/d.pdf" d
D=$(ctl doc add "$T/d.pdf" --type ukca --shop eu --expires 2027-06-01 2>/dev/null)
run ctl --json doc show "$D"
check "D's 30-day alert is due at 00:00 Berlin (summer time)" contains "$OUT" '"next_alert_at": "2027-05-02T22:00:00Z"'
sed 's|timezone = "Europe/Berlin"|timezone = "Asia/Tokyo"|' "$conf" > "$conf.new" && mv "$conf.new" "$conf"
run ctl reload
run ctl --json doc show "$D"
check "after a reload that puts shop eu in Asia/Tokyo, at 00:00 Tokyo" contains "$OUT" '"next_alert_at": "2027-05-02T15:00:00Z"'
check "... and its expiry too" contains "$OUT" '"expires_at": "2027-06-01T15:00:00Z"'

# --- a zone changed while stopped counts from the start ----------------------
stop_daemon
sed 's|timezone = "Asia/Tokyo"|timezone = "America/New_York"|' "$conf" > "$conf.new" && mv "$conf.new" "$conf"
check "delistd starts with shop eu moved to America/New_York" start_daemon "$conf"
run ctl --json doc show "$D"
check "... D's alert is at 00:00 New York at once" contains "$OUT" '"next_alert_at": "2027-05-03T04:00:00Z"'
check "... and its expiry too" contains "$OUT" '"expires_at": "2027-06-02T04:00:00Z"'

# --- the sink -----------------------------------------------------------------
check "the webhook gets every doc.expiring" wait_for 10 test "$(hook_n doc.expiring)" -ge 6
check "... 6 of them, once each" equals "$(hook_n doc.expiring)" 6
check "... and every doc.expired (3)" wait_for 10 test "$(hook_n doc.expired)" = 3
check "... and not doc.added (info, below its min_severity)" equals "$(hook_n doc.added)" 0

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
