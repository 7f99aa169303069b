#!/bin/sh
# SPDX-License-Identifier: ISC
# mail.sh: the mail sink against tests/fakes/fake_smtp, through the real
# delistd and delistctl, on the test clock.
#
# Two fakes: one offers STARTTLS and AUTH PLAIN/LOGIN (the "mail" instance:
# STARTTLS required, digest of 3 s), one implicit TLS and AUTH LOGIN only
# (the "urgent" instance: smtps, case.* at once). Both use a throwaway
# self-signed certificate made here with the openssl CLI as the instances'
# ca_file. Every mail is read back with Python's email package
# (mailparse.py). Covered: the Chinese subject round-trips, Date,
# Message-ID, From/To, MIME headers, CRLF and line lengths; one thread per
# case (the case.opened mail is the root, the others reply to it); what to
# do next and the deadlines in the body; digests batch the events of the
# window and a critical event goes at once; digest.daily as a table; a 4xx
# is retried, a timeout too, a 5xx is dead (delistctl outbox --dead); an
# event held in the window survives kill -9; STARTTLS required, TLS
# verified, a wrong password refused (535, dead); the configuration's
# errors; and no password anywhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/maillib.sh"

for tool in curl openssl python3; do
	command -v $tool >/dev/null 2>&1 || { echo "1..0 # SKIP $tool is missing"; exit 0; }
done

FAKE=$top_builddir/tests/fakes/fake_smtp
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/mail.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

FAKES=
stop_fakes() {
	for p in $FAKES; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	FAKES=
}
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
trap 'main_shell && { stop_fakes; cleanup; }' EXIT

# A throwaway CA-less certificate for 127.0.0.1, trusted as the ca_file.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
    { echo "Bail out! openssl cannot make a test certificate"; exit 1; }

PASS=Smtp-Pa55-7c1e0b
WRONG=Wrong-Pa55-d41d8c
printf '%s\n' "$PASS" > "$T/smtp.pass"
printf '%s\n' "$WRONG" > "$T/wrong.pass"
chmod 600 "$T/smtp.pass" "$T/wrong.pass"
mkdir "$T/box1" "$T/box2" "$T/box3"
echo ok > "$T/mode1"

"$FAKE" --port-file "$T/port1" --dir "$T/box1" --log "$T/smtp1.log" \
    --cert "$T/cert.pem" --key "$T/key.pem" --user alerts \
    --password-file "$T/smtp.pass" --mode-file "$T/mode1" 2>>"$T/fake.err" &
FAKES="$FAKES $!"
"$FAKE" --port-file "$T/port2" --tls-port-file "$T/tlsport2" \
    --dir "$T/box2" --log "$T/smtp2.log" --cert "$T/cert.pem" \
    --key "$T/key.pem" --user alerts --password-file "$T/smtp.pass" \
    --mechs LOGIN 2>>"$T/fake.err" &
FAKES="$FAKES $!"
"$FAKE" --port-file "$T/port3" --dir "$T/box3" --log "$T/smtp3.log" 2>>"$T/fake.err" &
FAKES="$FAKES $!"
check "three fake SMTP servers start and write their ports" \
    wait_for 10 sh -c 'test -s "$1/port1" && test -s "$1/tlsport2" && test -s "$1/port3"' _ "$T"
P1PORT=$(cat "$T/port1")
P2TLS=$(cat "$T/tlsport2")
P3PORT=$(cat "$T/port3")

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
# As in cases.sh: Golden Week holidays, Asia/Shanghai.
T_OPEN=1790557200     # 2026-09-28T01:00:00Z
T_APPEAL=1790647200   # 2026-09-29T02:00:00Z
T_FEEDBACK=1790906400 # T_APPEAL + 72 h
T_ESCALATE=1791770400 # 5 business days later: 2026-10-12T02:00:00Z
P1=1005001000000001
PCASE=5012345678
RULE='3.2 标题含有绝对化用语“最好”、“第一”'

# The daemon's pretty-printed JSON lists, one item per line.
flat() { awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'; }
event_id() {
	ctl --json events --case "$1" | flat > "$T/events"
	sed -n "/\"type\": \"$2\"/{s/^[^0-9]*\"id\": \([0-9]*\).*/\1/p;q;}" "$T/events"
}
deliveries() {
	curl -sS --unix-socket "$SOCK" -o "$T/outbox.json" \
	    "http://localhost/v1/outbox${1:+?state=$1}" &&
	    flat < "$T/outbox.json" > "$T/outbox"
}
delivery_of() { deliveries "${2:-}" && grep "\"event_id\": *$1[,}]" "$T/outbox"; }
has_delivery() { delivery_of "$1" "${2:-}" >/dev/null; }
error_has() { delivery_of "$1" "$2" | grep "\"last_error\": *\"[^\"]*$3"; }
open_case() {
	run ctl case open main "$1" --reason prohibited_words ${2:+--rule "$2"}
	C=$OUT
	[ "$RC" = 0 ] || fail "case open main $1: $ERR"
}


conf=$T/delistd.conf
common='username = "alerts"; password_file = "'$T'/smtp.pass";
	  from = "delistd@shop.example"; ca_file = "'$T'/cert.pem"; timeout = "3s";'
cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
	plugin_dir = "$PLUGIN_DIR";
};
calendar: {
	holidays = [ "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
	    "2026-10-05", "2026-10-06", "2026-10-07" ];
	workdays = [ "2026-10-10" ];
};
shops = ( { name = "main"; } );
plugins = (
	{ name = "mail"; module = "mail"; url = "smtp://127.0.0.1:$P1PORT";
	  starttls = true; $common
	  to = [ "ops@shop.example", "boss@shop.example" ]; digest = "3s";
	  events = [ "case.*", "delivery.*", "digest.*" ];
	  retry_base = "1s"; retry_cap = "1s"; max_attempts = 8; },
	{ name = "urgent"; module = "mail"; url = "smtps://127.0.0.1:$P2TLS";
	  $common to = [ "oncall@shop.example" ]; events = [ "case.*" ];
	  retry_base = "1s"; retry_cap = "1s"; },
	{ name = "plain"; module = "mail"; url = "smtp://127.0.0.1:$P3PORT";
	  starttls = true; from = "delistd@shop.example"; ca_file = "$T/cert.pem";
	  to = [ "ops@shop.example" ]; events = [ "shop.unsnoozed" ];
	  retry_base = "1s"; retry_cap = "1s"; timeout = "3s"; },
	{ name = "noca"; module = "mail"; url = "smtps://127.0.0.1:$P2TLS";
	  username = "alerts"; password_file = "$T/smtp.pass";
	  from = "delistd@shop.example"; to = [ "ops@shop.example" ];
	  events = [ "shop.unsnoozed" ]; retry_base = "1s"; retry_cap = "1s";
	  timeout = "3s"; },
	{ name = "wrongpw"; module = "mail"; url = "smtp://127.0.0.1:$P1PORT";
	  starttls = true; username = "alerts";
	  password_file = "$T/wrong.pass"; from = "delistd@shop.example";
	  ca_file = "$T/cert.pem"; to = [ "ops@shop.example" ];
	  events = [ "shop.unsnoozed" ]; timeout = "3s"; }
);
CONF

run "$DELISTD" -t -c "$conf"
check "four mail instances pass delistd -t" expect_rc 0
setclock $T_OPEN
check "delistd starts with them" start_daemon "$conf"

# --- a case.opened mail: headers, Chinese subject, thread root -------------
open_case $P1 "$RULE"
C1=$C
ROOT2="<delistd.case-$C1.urgent@shop.example>"
check "urgent mails case.opened at once over smtps" wait_for 10 has_mail "$T/box2" "message-id: $ROOT2"
m=$(mail_with "$T/box2" "message-id: $ROOT2")
check "... the Chinese subject round-trips through RFC 2047" equals "$(field "$m" subject)" \
    "[delistd] main $P1: listing delisted, case opened: $RULE (case $C1)"
check "... encoded on the wire, in ASCII" sh -c '! LC_ALL=C tr -d "\r\n\t" < "$1" | LC_ALL=C grep -q "[^ -~]" && grep -q "^Subject: =?UTF-8?B?" "$1"' _ "${m%.txt}.eml"
check "... Date is the daemon's clock" equals "$(field "$m" date-epoch)" "$T_OPEN"
check "... From: delistd <from>" equals "$(field "$m" from)" "delistd <delistd@shop.example>"
check "... To: the configured recipient only" equals "$(field "$m" to-addresses)" "oncall@shop.example"
check "... the envelope too" equals "$(grep '^rcpt=' "$(env_of "$m")")" "rcpt=oncall@shop.example"
check "... no In-Reply-To: it is the thread's root" equals "$(field "$m" in-reply-to)" ""
check "... text/plain in UTF-8" equals "$(field "$m" charset)" "utf-8"
check "... MIME-Version 1.0" equals "$(field "$m" mime-version)" "1.0"
check "... Python's parser finds no defect" equals "$(field "$m" defects)" 0
check "... CRLF lines only" equals "$(field "$m" bare-lf)" 0
check "... no line over 78 octets" sh -c '[ "$1" -le 78 ]' _ "$(field "$m" max-line)"
check "... the body says what to do next" grep -q "fix every cited point" "$m"
check "... and how to see the case" grep -q "delistctl case show $C1" "$m"
check "... sent over implicit TLS with AUTH LOGIN" sh -c 'grep -qx tls=1 "$1" && grep -qx auth=LOGIN "$1"' _ "$(env_of "$m")"
# The digest window runs on the daemon's clock: it ends when the test
# clock reaches its end, however long that takes in real time.
setclock $((T_OPEN + 3))
check "mail (digest 3s) sends it in a digest of one" wait_for 10 has_mail "$T/box1" "subject: [delistd] digest: 1 alert, 1 info"
m=$(mail_with "$T/box1" "subject: [delistd] digest: 1 alert, 1 info")
check "... listing the case" grep -qF "1. main $P1: listing delisted, case opened: $RULE (case $C1)" "$m"
check "... after STARTTLS with AUTH PLAIN" sh -c 'grep -qx tls=1 "$1" && grep -qx auth=PLAIN "$1"' _ "$(env_of "$m")"
check "... to both recipients" equals "$(field "$m" to-addresses)" "ops@shop.example,boss@shop.example"

# --- threading: the appeal replies to the case's first mail ------------------
setclock $T_APPEAL
printf '%s' "In the title we removed the absolute terms best quality and No.1 (words 1-2 and 6 of the old title); the new title is LED strip 5m warm white. The main image no longer carries a third-party watermark." > "$T/s1.txt"
printf 'CE certificate for model LS-5M\n' > "$T/AE${P1}_CE_Certificate.pdf"
run ctl case note "$C1" "removed the absolute terms from the title" --field title --before "Best LED strip No.1" --after "LED strip 5m warm white"
check "case note succeeds" expect_rc 0
run ctl case appeal "$C1" --platform-case $PCASE --statement "$T/s1.txt" --attach "ce:$T/AE${P1}_CE_Certificate.pdf"
check "case appeal succeeds" expect_rc 0
EA=$(event_id "$C1" case.appealed)
[ -n "$EA" ] || diag "no case.appealed: $OUT $ERR" "$(cat "$T/events")"
check "urgent mails case.appealed" wait_for 10 has_mail "$T/box2" "message-id: <delistd.$EA-urgent@shop.example>"
m=$(mail_with "$T/box2" "message-id: <delistd.$EA-urgent@shop.example>")
check "... its Message-ID is the delivery's key" equals "$(field "$m" message-id)" "<delistd.$EA-urgent@shop.example>"
check "... In-Reply-To: the case's first mail" equals "$(field "$m" in-reply-to)" "$ROOT2"
check "... References: the same" equals "$(field "$m" references)" "$ROOT2"
check "... the subject names the platform Case ID" contains "$(field "$m" subject)" "appeal submitted (case $C1, Case ID $PCASE)"
check "... the body gives the deadlines, in the shop's zone" grep -q "feedback due: 2026-10-02 10:00 CST (Asia/Shanghai)" "$m"
check "... both of them" grep -q "escalate due: 2026-10-12 10:00 CST (Asia/Shanghai)" "$m"
# The note's window ends at +3 s; the appeal, behind it, opens the next.
setclock $((T_APPEAL + 3))
check "mail holds the appeal in the next window" wait_for 10 grep -q "event $EA held for the digest" "$T/daemon.log"
setclock $((T_APPEAL + 6))
check "mail sends it in its next digest" wait_for 10 has_mail "$T/box1" "1. main $P1: appeal submitted (case $C1, Case ID $PCASE)"

# --- the 72-hour reminder ------------------------------------------------
setclock $T_FEEDBACK
check "case.feedback_overdue is mailed at once by urgent" wait_for 10 has_mail "$T/box2" "no feedback after 72 hours (case $C1, Case ID $PCASE)"
m=$(mail_with "$T/box2" "no feedback after 72 hours (case $C1")
check "... telling to open a ticket quoting the Case ID" grep -q "Open a ticket with AliExpress online customer service" "$m"
check "... in the case's thread" equals "$(field "$m" in-reply-to)" "$ROOT2"
setclock $((T_FEEDBACK + 3))
check "... and by mail in a digest" wait_for 10 has_mail "$T/box1" "no feedback after 72 hours (case $C1, Case ID $PCASE)"

# --- a digest batches the window; a critical event goes at once -----------
open_case 1005001000000002
C2=$C
open_case 1005001000000003
C3=$C
setclock $((T_FEEDBACK + 6))
check "the two case.opened go out" wait_for 10 has_mail "$T/box1" "listing delisted, case opened: prohibited_words (case $C3)"
m2=$(mail_with "$T/box1" "listing delisted, case opened: prohibited_words (case $C2)")
m3=$(mail_with "$T/box1" "listing delisted, case opened: prohibited_words (case $C3)")
check "... the same mail lists both" equals "$m2" "$m3"
check "... its subject counts them" contains "$(field "$m2" subject)" "[delistd] digest: "
check "... each once" equals "$(count_mails "$T/box1" "listing delisted, case opened: prohibited_words (case $C2)")" 1

open_case 1005001000000004
C4=$C
E4=$(event_id "$C4" case.opened)
check "a case.opened is held in the window" wait_for 5 grep -q "event $E4 held for the digest" "$T/daemon.log"
setclock $T_ESCALATE
check "case.escalated (critical) is mailed at once" wait_for 10 has_mail "$T/box1" "no decision after 5 business days (case $C1, Case ID $PCASE)"
me=$(mail_with "$T/box1" "no decision after 5 business days (case $C1")
check "... flagged URGENT, not in a digest" contains "$(field "$me" subject)" "[delistd] URGENT: main $P1: no decision after"
check "... in the case's thread for this sink" equals "$(field "$me" in-reply-to)" "<delistd.case-$C1.mail@shop.example>"
check "the held case.opened goes in the digest, its window over by the clock" wait_for 10 has_mail "$T/box1" "listing delisted, case opened: prohibited_words (case $C4)"

# --- the daily digest, as a table ----------------------------------------
check "digest.daily of 2026-10-12 is mailed at once, as a table" wait_for 10 has_mail "$T/box1" "Open work of shop main on 2026-10-12 (Asia/Shanghai):"
m=$(mail_with "$T/box1" "Open work of shop main on 2026-10-12 (Asia/Shanghai):")
check "... subject: the shop's daily digest" equals "$(field "$m" subject)" "[delistd] main: daily digest"
check "... listing the appealed case in a table" sh -c 'grep -A3 "^appealed (1):" "$1" | grep -q "^  $2 *$3 "' _ "$m" "$C1" "$P1"
check "... not in a digest of alerts" sh -c '! grep -q "^1\. main: daily digest" "$1"' _ "$m"

# --- 4xx: retried --------------------------------------------------------
echo "mail=451" > "$T/mode1"
open_case 1005001000000005
C5=$C
E5=$(event_id "$C5" case.opened)
setclock $((T_ESCALATE + 3))
check "the server answers MAIL with 451" wait_for 15 grep -q "refused stage=mail code=451" "$T/smtp1.log"
check "... the delivery stays pending with the SMTP error" wait_for 10 error_has "$E5" pending "SMTP 451"
echo ok > "$T/mode1"
# The retry is due by the daemon's clock, which is the test clock here.
setclock $((T_ESCALATE + 60))
check "... the retry is held in a new window" wait_for 10 sh -c '[ "$(grep -c "event $1 held for the digest" "$2")" -ge 2 ]' _ "$E5" "$T/daemon.log"
setclock $((T_ESCALATE + 63))
check "... and is delivered on a later attempt" wait_for 20 has_mail "$T/box1" "listing delisted, case opened: prohibited_words (case $C5)"
check "... once" equals "$(count_mails "$T/box1" "listing delisted, case opened: prohibited_words (case $C5)")" 1

# --- a timeout: retried ----------------------------------------------------
echo "data=hang" > "$T/mode1"
open_case 1005001000000006
C6=$C
E6=$(event_id "$C6" case.opened)
setclock $((T_ESCALATE + 66))
check "a server that hangs at DATA is timed out and retried" wait_for 20 error_has "$E6" pending "timeout after 3s"
echo ok > "$T/mode1"
setclock $((T_ESCALATE + 120))
check "... the retry is held in a new window" wait_for 10 sh -c '[ "$(grep -c "event $1 held for the digest" "$2")" -ge 2 ]' _ "$E6" "$T/daemon.log"
setclock $((T_ESCALATE + 123))
check "... then delivered" wait_for 20 has_mail "$T/box1" "listing delisted, case opened: prohibited_words (case $C6)"

# --- 5xx: dead -----------------------------------------------------------
echo "rcpt=550" > "$T/mode1"
open_case 1005001000000007
C7=$C
E7=$(event_id "$C7" case.opened)
setclock $((T_ESCALATE + 126))
check "a 550 to RCPT makes the delivery dead" wait_for 20 has_delivery "$E7" dead
echo ok > "$T/mode1"
run ctl outbox --dead
check "delistctl outbox --dead lists it" contains "$OUT" "case.opened"
check "... with the SMTP reply" contains "$OUT" "SMTP 550"
check "... and the sink" contains "$OUT" "mail"
attempts_1() { delivery_of "$E7" dead | grep -q '"attempts": *1[,}]'; }
check "... after one attempt" attempts_1
check "it was never accepted" equals "$(count_mails "$T/box1" "listing delisted, case opened: prohibited_words (case $C7)")" 0

# --- kill -9 inside the window: nothing lost --------------------------------
open_case 1005001000000008
C8=$C
E8=$(event_id "$C8" case.opened)
check "an event is held in the window" wait_for 5 grep -q "event $E8 held for the digest" "$T/daemon.log"
check "delistd is killed inside the window" stop_daemon KILL
check "... and comes back" start_daemon "$conf"
check "... the event is held again" wait_for 10 sh -c '[ "$(grep -c "event $1 held for the digest" "$2")" -ge 2 ]' _ "$E8" "$T/daemon.log"
setclock $((T_ESCALATE + 129))
check "the held event is mailed after the restart" wait_for 15 has_mail "$T/box1" "listing delisted, case opened: prohibited_words (case $C8)"

# --- STARTTLS required, TLS verified ---------------------------------------
# shop.unsnoozed: an event that goes to plain, noca and wrongpw only.
ctl snooze main --for 1h >/dev/null
run ctl snooze main --off
check "end a snooze (shop.unsnoozed for plain, noca and wrongpw)" expect_rc 0
ET=$(ctl --json events | flat | sed -n '/"type": "shop.unsnoozed"/{s/^[^0-9]*"id": \([0-9]*\).*/\1/p;}' | tail -n 1)
tracked_err() { deliveries pending && grep "\"event_id\": *$ET[,}]" "$T/outbox" | grep "\"sink\": *\"$1\"" | grep -q '"last_error": *"[^"]'; }
check "starttls = true against a server without STARTTLS: not sent, retried" wait_for 15 tracked_err plain
check "... nothing reached that server" sh -c '! ls "$1"/*.eml >/dev/null 2>&1' _ "$T/box3"
check "smtps without the private CA: the certificate is refused, retried" wait_for 15 tracked_err noca
tracked_dead() { deliveries dead && grep "\"event_id\": *$ET[,}]" "$T/outbox" | grep "\"sink\": *\"$1\"" | grep -q "$2"; }
check "a wrong password: AUTH refused with 535, dead at once" wait_for 15 tracked_dead wrongpw "SMTP 535"

# --- the assignee is named in the mails ------------------------------------
printf '%s\n' 'assignee-pass-1' > "$T/upw"
ctl user add lin --role operator --password-file "$T/upw" >/dev/null
open_case 1005001000000009
C9=$C
check "a new case's mail (nobody assigned yet)" wait_for 10 has_mail "$T/box2" "message-id: <delistd.case-$C9.urgent@shop.example>"
check "... names no assignee" sh -c '! grep -q "Assigned to:" "$1"' _ "$(mail_with "$T/box2" "message-id: <delistd.case-$C9.urgent@shop.example>")"
run ctl case assign "$C9" lin
check "case assign" expect_rc 0
EAS=$(event_id "$C9" case.assigned)
check "urgent mails case.assigned" wait_for 10 has_mail "$T/box2" "message-id: <delistd.$EAS-urgent@shop.example>"
check "... saying Assigned to: lin" grep -q "^Assigned to: lin" "$(mail_with "$T/box2" "message-id: <delistd.$EAS-urgent@shop.example>")"
run ctl case note "$C9" "asked the supplier for the CE certificate"
EN=$(event_id "$C9" case.note)
check "urgent mails the next event of the case" wait_for 10 has_mail "$T/box2" "message-id: <delistd.$EN-urgent@shop.example>"
m=$(mail_with "$T/box2" "message-id: <delistd.$EN-urgent@shop.example>")
check "... naming the assignee" grep -q "^Assigned to: lin" "$m"
check "... once (not again under Details)" sh -c '! grep -qi "^ *assignee" "$1"' _ "$m"
run ctl --json events --case "$C9"
check "the event's data carries the assignee (delistd-events(7))" sh -c 'printf "%s" "$1" | jq -s -e "[.. | objects | select(.type? == \"case.note\")][0].data.assignee == \"lin\"" >/dev/null' _ "$OUT"

# --- no secret anywhere ------------------------------------------------------
for pw in "$PASS" "$WRONG"; do
	check "a password is in no log" sh -c '! grep -rqF "$1" "$2/daemon.log" "$2"/smtp*.log "$2/fake.err"' _ "$pw" "$T"
	check "... and in no mail" sh -c '! grep -rqF "$1" "$2/box1" "$2/box2" "$2/box3"' _ "$pw" "$T"
	run ctl outbox --dead
	check "... nor in the outbox's errors" lacks "$OUT$ERR" "$pw"
done

check "delistd stops cleanly" stop_daemon TERM
check "... exit 0" equals "$DAEMON_RC" 0

# --- configuration errors ------------------------------------------------
bad() { # DESC BLOCK TEXT
	cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$T/badstate"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "m"; module = "mail"; $2 } );
CONF
	run "$DELISTD" -t -c "$T/bad.conf"
	check "$1: exit 1" expect_rc 1
	check "... saying so" contains "$ERR" "$3"
	check "... without the secret" lacks "$OUT$ERR" "hunter2"
}
ok_keys='from = "d@shop.example"; to = [ "o@shop.example" ];'
bad "credentials in the URL" "url = \"smtp://alerts:hunter2@127.0.0.1:25\"; $ok_keys" "no credentials in the URL"
bad "starttls with smtps" "url = \"smtps://127.0.0.1\"; starttls = true; $ok_keys" "starttls: smtps:// is TLS"
bad "an http URL" "url = \"http://127.0.0.1\"; $ok_keys" "url: expected smtp:// or smtps://"
bad "no from" "url = \"smtp://127.0.0.1\"; to = [ \"o@shop.example\" ];" "from is required"
bad "a bad from" "url = \"smtp://127.0.0.1\"; from = \"nobody\"; to = [ \"o@shop.example\" ];" "from: \"nobody\" is not an address"
bad "to as a string" "url = \"smtp://127.0.0.1\"; from = \"d@shop.example\"; to = \"o@shop.example\";" "to: expected a list"
bad "a bad recipient" "url = \"smtp://127.0.0.1\"; from = \"d@shop.example\"; to = [ \"o@shop.example\", \"x y\" ];" "to[1]"
bad "a digest too long" "url = \"smtp://127.0.0.1\"; $ok_keys digest = \"2h\";" "digest: 7200s is out of range"
bad "a digest that is no duration" "url = \"smtp://127.0.0.1\"; $ok_keys digest = 5;" "digest: expected a duration"
bad "an unknown severity" "url = \"smtp://127.0.0.1\"; $ok_keys immediate_severity = \"urgent\";" "immediate_severity"
bad "password_file without username" "url = \"smtp://127.0.0.1\"; $ok_keys password_file = \"$T/smtp.pass\";" "password_file needs username"
bad "a login on smtp:// without starttls" "url = \"smtp://127.0.0.1:25\"; $ok_keys username = \"alerts\"; password_file = \"$T/smtp.pass\";" "the password would cross the network in clear; set starttls = true or use smtps://"
bad "... also with starttls = false said" "url = \"smtp://127.0.0.1:25\"; starttls = false; $ok_keys username = \"alerts\"; password_file = \"$T/smtp.pass\";" "username on smtp:// without starttls"
bad "an unknown key" "url = \"smtp://127.0.0.1\"; $ok_keys cc = [ \"x@y.z\" ];" "cc"
cat > "$T/good.conf" <<CONF
daemon: { state_dir = "$T/badstate"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "m"; module = "mail"; url = "smtp://127.0.0.1:25"; $ok_keys digest = ""; } );
CONF
run "$DELISTD" -t -c "$T/good.conf"
check "digest = \"\" means no digest, and is accepted" expect_rc 0

stop_fakes
check "the fake SMTP servers ran clean" sh -c '! grep -Eq "Sanitizer|runtime error" "$1" || { cat "$1"; exit 1; }' _ "$T/fake.err"

finish
