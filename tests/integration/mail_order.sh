#!/bin/sh
# SPDX-License-Identifier: ISC
# mail_order.sh: mail that is never late and never lost, through the real
# delistd, delistctl and tests/fakes/fake_smtp, on the test clock.
#
# The digest window runs on the daemon's clock: a held event is not mailed
# while the test clock stands still, and is as soon as the clock reaches
# the window's end. A critical event about a case whose earlier event is
# held in the window is not held back with it: the digest goes at once,
# then the critical mail, within seconds, the clock unmoved. Events that
# ask nothing of a person (3,000 listings imported) are counted in one
# digest, not mailed one by one nor in digests of a few. A snooze holds the
# shop's mail (delistctl outbox says until when) and, when it ends, sends
# one summary mail of everything it held, then announces each open
# critical condition of the shop again; a snooze made shorter lapses
# sooner, and what it held goes out then.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/maillib.sh"

for tool in curl python3; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is missing"; exit 0; }
done

FAKE=$top_builddir/tests/fakes/fake_smtp
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/mail.so" "$PLUGIN_DIR/webhook.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

SMTP_PID=
stop_smtp() {
	[ -z "$SMTP_PID" ] || { kill "$SMTP_PID" 2>/dev/null; wait "$SMTP_PID" 2>/dev/null; }
	SMTP_PID=
}
trap 'main_shell && { stop_smtp; cleanup; }' EXIT
BOX=$T/box
mkdir "$BOX"
"$FAKE" --port-file "$T/smtp.port" --dir "$BOX" --log "$T/smtp.log" 2>>"$T/fake.err" &
SMTP_PID=$!
check "fake_smtp starts and writes its port" wait_for 10 test -s "$T/smtp.port"

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
flat() { awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'; }
event_id() { # CASE TYPE
	ctl --json events --case "$1" | flat |
	    sed -n "/\"type\": \"$2\"/{s/^[^0-9]*\"id\": \([0-9]*\).*/\1/p;q;}"
}
all_events() {
	curl -sS --unix-socket "$SOCK" "http://localhost/v1/events?limit=100000" | flat
}
has_all() { all_events | grep -q "\"type\": \"$1\""; }
outbox_in() { curl -sS --unix-socket "$SOCK" "http://localhost/v1/outbox?state=$1" | flat; }
held_in_window() { grep -q "event $1 held for the digest" "$T/daemon.log"; }
# no_mail_for SECONDS TEXT: no mail with TEXT comes in that much real time.
no_mail_for() { ! wait_for "$1" has_mail "$BOX" "$2"; }
open_case() { # PRODUCT_ID: the new case in C
	run ctl case open main "$1" --reason prohibited_words
	C=$OUT
	[ "$RC" = 0 ] || fail "case open main $1: $ERR"
}

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = (
	{ name = "mail"; module = "mail"; url = "smtp://127.0.0.1:$(cat "$T/smtp.port")";
	  from = "delistd@shop.example"; to = [ "ops@shop.example" ];
	  digest = "10m"; events = [ "case.opened", "delivery.*", "listing.*" ];
	  retry_base = "1s"; retry_cap = "1s"; },
	{ name = "gone"; module = "webhook"; url = "http://127.0.0.1:1/gone";
	  events = [ "case.note" ]; max_attempts = 1; timeout = "2s"; }
);
CONF

T0=1790560800 # Mon 2026-09-28 10:00 Asia/Shanghai
P1=1005001000000101
P2=1005001000000102
P3=1005001000000103
run "$DELISTD" -t -c "$conf"
check "the config passes delistd -t" expect_rc 0
setclock $T0
check "delistd starts on the test clock" start_daemon "$conf"

# --- the digest window runs on the daemon's clock ---------------------------
open_case $P1
C1=$C
E1=$(event_id "$C1" case.opened)
check "case.opened is held in the 10-minute digest window" wait_for 5 held_in_window "$E1"
check "not mailed while the test clock stands still (3 s of real time)" no_mail_for 3 "(case $C1)"
setclock $((T0 + 599))
check "... nor 1 s of the daemon's clock before the window ends" no_mail_for 1 "(case $C1)"
setclock $((T0 + 600))
check "mailed as soon as the daemon's clock reaches the window's end" wait_for 5 has_mail "$BOX" "(case $C1)"
m=$(mail_with "$BOX" "(case $C1)")
check "... in a digest" contains "$(field "$m" subject)" "[delistd] digest: 1 alert"
check "... dated by the daemon's clock" equals "$(field "$m" date-epoch)" $((T0 + 600))

# --- a critical event is not late behind a held digest -----------------------
T1=$((T0 + 3600))
setclock $T1
open_case $P2
C2=$C
E2=$(event_id "$C2" case.opened)
check "a second case's case.opened is held in a new window" wait_for 5 held_in_window "$E2"
# A note goes to the unreachable "gone", which gives up at once: a
# critical delivery.dead about the case, behind the held case.opened.
run ctl case note "$C2" "removed the banned words"
check "delivery.dead (critical) about that case is raised" wait_for 10 has_all delivery.dead
check "the critical mail arrives within 10 real seconds, the clock unmoved" wait_for 10 has_mail "$BOX" "URGENT: main $P2: a delivery was given up (case $C2)"
check "... the clock still reads the same" clock_is $T1
md=$(mail_with "$BOX" "listing delisted, case opened: prohibited_words (case $C2)")
mc=$(mail_with "$BOX" "URGENT: main $P2: a delivery was given up (case $C2)")
check "the held digest went at once too" test -n "$md"
check "... as a digest" contains "$(field "$md" subject)" "[delistd] digest: 1 alert"
check "... before the critical mail: the case's order is kept" sh -c '[ "$1" -lt "$2" ]' _ "$(num_of "$md")" "$(num_of "$mc")"

# --- events that ask nothing of a person are counted -------------------------
T2=$((T1 + 3600))
setclock $T2
awk 'BEGIN { print "shop,product_id"; for (i = 1; i <= 3000; i++) printf "main,10050090%08d\n", i }' > "$T/list.csv"
run ctl import "$T/list.csv"
check "3,000 listings imported" contains "$OUT" "imported 3000 listings"
check "every listing.tracked is answered at once: none waits in the outbox" wait_for 120 sh -c '! curl -sS --unix-socket "$1" "http://localhost/v1/outbox?state=pending" | grep -q listing.tracked' _ "$SOCK"
counted_note() { outbox_in done | grep '"event_type": "listing.tracked"' | grep -q '"last_error": "counted for the next digest'; }
check "... each row settled with a note that it was counted" counted_note
check "no mail while the window lasts: not one by one, nor digests of a few" no_mail_for 2 "tracked"
check "... and none says \"Nothing to do\"" no_mail_for 1 "Nothing to do"
setclock $((T2 + 600))
check "one digest when the window ends: 3,000 listings tracked" wait_for 10 has_mail "$BOX" "3,000 listings tracked"
m=$(mail_with "$BOX" "3,000 listings tracked")
check "... said in its subject" equals "$(field "$m" subject)" "[delistd] digest: 3,000 listings tracked"
check "... one mail about them in all" equals "$(count_mails "$BOX" "tracked")" 1

# --- a snooze defers mail, never drops it -----------------------------------
T3=$((T2 + 3600))
setclock $T3
run ctl snooze main --for 1d --comment "on holiday"
check "the shop is snoozed for a day" expect_rc 0
open_case $P3
C3=$C
run ctl case note "$C3" "fixed the title"
held_two() { [ "$(outbox_in held | grep -c '"sink": "mail"')" -ge 2 ]; }
check "its case.opened and its critical delivery.dead are held for the mail sink" wait_for 10 held_two
run ctl outbox
check "delistctl outbox shows them held until the snooze ends" sh -c 'printf "%s\n" "$1" | grep "delivery.dead" | grep -q "held (snoozed until 2026-09-29 13:00 CST (Asia/Shanghai))"' _ "$OUT"
check "no mail about them meanwhile" no_mail_for 2 "(case $C3)"
run ctl snooze main --off
check "the snooze is ended by hand" expect_rc 0
check "one summary mail lists what was held" wait_for 10 has_mail "$BOX" "mail held during the snooze"
ms=$(mail_with "$BOX" "mail held during the snooze")
check "... its subject names the shop" equals "$(field "$ms" subject)" "[delistd] main: mail held during the snooze"
check "... the case.opened" grep -q "case.opened (case $C3)" "$ms"
check "... the critical delivery.dead, flagged" grep -q "URGENT .* delivery.dead (case $C3)" "$ms"
check "... one summary" equals "$(count_mails "$BOX" "mail held during the snooze")" 1
check "the open critical condition is announced again, in its own mail" wait_for 10 has_mail "$BOX" "URGENT: main $P3: reminder"
check "nothing is left held" sh -c '! curl -sS --unix-socket "$1" "http://localhost/v1/outbox?state=held" | grep -q "\"id\""' _ "$SOCK"
check "... nor pending for the mail sink" wait_for 10 sh -c '! curl -sS --unix-socket "$1" "http://localhost/v1/outbox?state=pending" | grep -q "\"sink\": \"mail\""' _ "$SOCK"

# A snooze made shorter, then lapsing: what it held goes out when it lapses.
T4=$((T3 + 3600))
setclock $T4
run ctl snooze main --for 1d
open_case 1005001000000104
C4=$C
held_one() { outbox_in held | grep -q '"sink": "mail"'; }
check "a new snooze holds the next case.opened" wait_for 10 held_one
run ctl snooze main --for 1h
run ctl outbox
check "shortened to an hour, delistctl outbox says so" sh -c 'printf "%s\n" "$1" | grep "case.opened" | grep -q "held (snoozed until 2026-09-28 15:00 CST (Asia/Shanghai))"' _ "$OUT"
setclock $((T4 + 3599))
check "nothing sent before it lapses" no_mail_for 1 "(case $C4)"
setclock $((T4 + 3600))
check "when it lapses, a second summary lists it" wait_for 10 has_mail "$BOX" "case.opened (case $C4)"
check "... in a summary of its own" equals "$(count_mails "$BOX" "mail held during the snooze")" 2

check "delistd stops cleanly" stop_daemon TERM
check "... exit 0" equals "$DAEMON_RC" 0
stop_smtp
finish
