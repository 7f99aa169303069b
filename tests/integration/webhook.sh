#!/bin/sh
# SPDX-License-Identifier: ISC
# webhook.sh: the webhook sink against tests/fakes/fake_webhook, through the
# real delistd and delistctl.
#
# Cases opened with delistctl produce case.* events; the "erp" instance
# POSTs them to the fake, which checks the signature, logs every request
# and answers as its mode says (changed while running with POST /_mode).
# Covered: a signed delivery with every header; an unsigned one; 500 then
# success with the same Idempotency-Key; 429 with Retry-After honoured;
# 400 dead at once; max_attempts reached (delivery.dead in the trail and
# the log); outbox retry ID and --all-dead; a hanging receiver timed out; a
# dropped connection; a refused one; a case's events in order after
# retries; a reload that keeps an instance and one that re-creates it; and
# the webhook's own configuration errors. Retry timing runs on
# the real clock (no test clock here), with 1-2 s backoff to stay quick.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/webhook.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

FAKE_PID=
stop_fake() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
}
# Some shells (bash) may run an EXIT trap in a subshell too: only the test's
# own shell may stop the fake and the daemon.
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
trap 'main_shell && { stop_fake; cleanup; }' EXIT

SECRET=wh-Secret-4f1c9a
TOKEN=erp-Token-77d2b0
printf '%s\n' "$SECRET" > "$T/erp.secret"
chmod 600 "$T/erp.secret"
HOOKLOG=$T/hook.log

"$FAKE" --port-file "$T/port" --log "$HOOKLOG" --secret-file "$T/erp.secret" \
    --log-header X-Erp-Token --timeout 600 2>>"$T/fake.err" &
FAKE_PID=$!
check "fake_webhook starts and writes its port" wait_for 10 test -s "$T/port"
PORT=$(cat "$T/port")
URL=http://127.0.0.1:$PORT

# mode M: the fake answers with M from now on.
mode() {
	[ "$(curl -sS -o /dev/null -w '%{http_code}' -X POST --data "$1" \
	    "$URL/_mode" 2>&1)" = 200 ] || fail "fake_webhook takes mode $1"
}

# sel NAME=VALUE...: the fake's log lines that have every field given.
sel() {
	awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
	    /^n=/ { ok = 1
		for (i = 1; i <= n; i++)
			if (index(" " $0 " ", " " w[i] " ") == 0) ok = 0
		if (ok) print }' "$HOOKLOG"
}
count() {
	awk -v want="$*" 'BEGIN { n = split(want, w, " ") }
	    /^n=/ { ok = 1
		for (i = 1; i <= n; i++)
			if (index(" " $0 " ", " " w[i] " ") == 0) ok = 0
		c += ok }
	    END { print c + 0 }' "$HOOKLOG"
}
seen() { [ "$(count "$@")" -ge 1 ]; }
seen_n() { n=$1; shift; [ "$(count "$@")" -ge "$n" ]; }
# field NAME: the value of NAME= in each line read.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# The daemon's pretty-printed JSON lists, one item per line: the text is
# joined, then split between items (an event's "data" stays in its line).
flat() { awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'; }
events_of() { ctl --json events --case "$1" | flat; }
# event_id CASE TYPE: the id of the case's first event of that type.
event_id() {
	events_of "$1" > "$T/events"
	sed -n "/\"type\": \"$2\"/{s/^[^0-9]*\"id\": \([0-9]*\).*/\1/p;q;}" \
	    "$T/events"
}
# deliveries [STATE]: the outbox rows through the API, one per line, in
# $T/outbox (files, not pipes: no reader here stops before the writer).
deliveries() {
	curl -sS --unix-socket "$SOCK" -o "$T/outbox.json" \
	    "http://localhost/v1/outbox${1:+?state=$1}" &&
	    flat < "$T/outbox.json" > "$T/outbox"
}
# delivery_of EVENT_ID [STATE]: that event's row, if any.
delivery_of() {
	deliveries "${2:-}" && grep "\"event_id\": *$1[,}]" "$T/outbox"
}
delivery_id() { delivery_of "$1" "$2" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p'; }
has_delivery() { delivery_of "$1" "${2:-}" >/dev/null; }
no_delivery() { deliveries "${2:-}" && ! grep "\"event_id\": *$1[,}]" "$T/outbox" >/dev/null; }
error_has() { delivery_of "$1" "$2" | grep "\"last_error\": *\"[^\"]*$3"; }
errored() { delivery_of "$1" "$2" | grep "\"last_error\": *\"[^\"]"; }
idle() { deliveries pending && ! grep '"id"' "$T/outbox" >/dev/null; }

# open_case PRODUCT: opens a case; its id in C.
open_case() {
	run ctl case open main "$1" --reason other
	C=$OUT
	[ "$RC" = 0 ] || fail "case open main $1: $ERR"
}

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
	plugin_dir = "$PLUGIN_DIR";
};
shops = ( { name = "main"; } );
plugins = (
	{ name = "erp"; module = "webhook"; url = "$URL/hook";
	  secret_file = "$T/erp.secret"; headers = [ "X-Erp-Token: $TOKEN" ];
	  timeout = "2s"; events = [ "case.*" ]; min_severity = "info";
	  retry_base = "1s"; retry_cap = "2s"; max_attempts = 3; },
	{ name = "ads"; module = "webhook"; url = "$URL/ads";
	  events = [ "case.abandoned" ]; retry_base = "1s"; retry_cap = "2s"; }
);
CONF

run "$DELISTD" -t -c "$conf"
check "the webhook configuration passes delistd -t" expect_rc 0
check "delistd starts with two webhook instances" start_daemon "$conf"
VERSION=$("$DELISTD" -V | sed 's/^delistd //')

# --- a signed delivery with every header ---------------------------------
mode ok
open_case 1005001000000001
C1=$C
E1=$(event_id "$C1" case.opened)
check "case.opened reaches the receiver" wait_for 10 seen case="$C1" event=case.opened status=200
line=$(sel case="$C1" event=case.opened status=200 | sed -n 1p)
check "... as a POST to the configured path" contains "$line" " method=POST path=/hook "
check "... whose signature is the HMAC-SHA256 of the body" contains "$line" " sig=ok "
check "... with Idempotency-Key <event id>-<instance>" contains "$line" " key=$E1-erp "
check "... with X-Delistd-Event" contains "$line" " event=case.opened "
check "... with Content-Type: application/json" contains "$line" " ct=application/json "
check "... with User-Agent: delistd/<version>" contains "$line" " ua=delistd/$VERSION "
check "... with the configured extra header" contains "$line" " hdr=$TOKEN "
check "... and the event document as the body" contains "$line" " id=$E1 "
check "... once" equals "$(count case="$C1" event=case.opened)" 1
check "the delivery is settled: no pending or dead row" wait_for 5 no_delivery "$E1"

run ctl case abandon "$C1"
check "case abandon succeeds" expect_rc 0
check "an instance without secret_file delivers its events" wait_for 10 seen case="$C1" event=case.abandoned path=/ads status=200
check "... unsigned: no X-Delistd-Signature" seen case="$C1" event=case.abandoned path=/ads sig=none
check "... without the other instance's header" seen case="$C1" event=case.abandoned path=/ads hdr=-
check "... with its own Idempotency-Key" equals \
    "$(sel case="$C1" event=case.abandoned path=/ads | field key)" "$(event_id "$C1" case.abandoned)-ads"
check "the erp instance gets case.abandoned too" wait_for 10 seen case="$C1" event=case.abandoned path=/hook status=200
check "the outbox is idle" wait_for 10 idle

# --- 500, then success ---------------------------------------------------
mode fail-first:1
open_case 1005001000000002
C2=$C
check "after a 500 the delivery is retried and succeeds" wait_for 15 seen case="$C2" event=case.opened status=200
check "... the receiver saw it twice: 500, then 200" equals \
    "$(sel case="$C2" event=case.opened | field status | tr '\n' ' ')" "500 200 "
check "... with the same Idempotency-Key both times" equals \
    "$(sel case="$C2" event=case.opened | field key | sort -u)" "$(event_id "$C2" case.opened)-erp"
check "... the same body both times" equals \
    "$(sel case="$C2" event=case.opened | field body_sha | sort -u | wc -l | tr -d ' ')" 1
check "... signed both times" equals "$(sel case="$C2" event=case.opened | field sig | sort -u)" ok
check "the outbox is idle" wait_for 10 idle

# --- 429 with Retry-After ------------------------------------------------
mode retry429:4
open_case 1005001000000003
C3=$C
E3=$(event_id "$C3" case.opened)
check "a 429 is answered" wait_for 10 seen case="$C3" status=429
check "... and the row waits, its error naming the Retry-After" wait_for 5 error_has "$E3" pending "HTTP 429 (Retry-After 4s)"
mode ok
check "... then it is delivered" wait_for 15 seen case="$C3" status=200
t429=$(sel case="$C3" status=429 | field ms)
t200=$(sel case="$C3" status=200 | field ms)
# The outbox counts in whole seconds, so "4 s" may start up to 1 s early;
# its own backoff here is at most 2 s (retry_cap).
check "... not before the receiver's Retry-After: 4" sh -c '[ $(($2 - $1)) -ge 3000 ] || { echo "retried after $(($2 - $1)) ms"; exit 1; }' _ "$t429" "$t200"
diag "Retry-After 4: retried after $((t200 - t429)) ms"
check "the outbox is idle" wait_for 10 idle

# --- 400: dead at once -----------------------------------------------------
mode bad400
open_case 1005001000000004
C4=$C
E4=$(event_id "$C4" case.opened)
check "a 400 is answered" wait_for 10 seen case="$C4" status=400
check "... and the delivery is dead at once" wait_for 10 has_delivery "$E4" dead
check "... after one attempt, never retried" equals "$(count case="$C4" event=case.opened)" 1
run ctl outbox --dead
check "delistctl outbox --dead succeeds" expect_rc 0
check "... and lists it with its last error" contains "$OUT" "HTTP 400"
check "... naming its event type" contains "$OUT" "case.opened"
check "... and the sink" contains "$OUT" "erp"

# --- max_attempts: dead, delivery.dead -------------------------------------
mode fail500
open_case 1005001000000005
C5=$C
E5=$(event_id "$C5" case.opened)
check "500s are retried up to max_attempts" wait_for 20 seen_n 3 case="$C5" status=500
check "... then the delivery is dead" wait_for 10 has_delivery "$E5" dead
check "... after exactly 3 attempts" equals "$(count case="$C5" event=case.opened)" 3
check "... its last error is HTTP 500" error_has "$E5" dead "HTTP 500"
dead_ev() { events_of "$C5" | grep '"type": "delivery.dead"'; }
check "a delivery.dead event is in the case's trail" wait_for 5 dead_ev
ev=$(dead_ev)
check "... as critical" contains "$ev" '"severity": "critical"'
check "... naming the sink" contains "$ev" "erp"
run ctl events
check "delistctl events lists delivery.dead" contains "$OUT" "delivery.dead"
check "the daemon log has delivery.dead" grep -q "delivery.dead" "$T/daemon.log"
check "delivery.dead is not sent to the sink that failed" equals "$(count event=delivery.dead)" 0
run ctl outbox --dead
check "outbox --dead lists both dead deliveries" sh -c 'case "$1" in *"HTTP 400"*) ;; *) exit 1;; esac && case "$1" in *"HTTP 500"*) ;; *) exit 1;; esac' _ "$OUT"

# --- outbox retry ID, --all-dead -------------------------------------------
mode ok
D5=$(delivery_id "$E5" dead)
run ctl outbox retry "$D5"
check "delistctl outbox retry ID succeeds" expect_rc 0
check "... and the requeued delivery arrives" wait_for 10 seen case="$C5" event=case.opened status=200
check "... with the same Idempotency-Key" equals "$(sel case="$C5" event=case.opened status=200 | field key)" "$E5-erp"
check "... and is no longer dead" wait_for 5 no_delivery "$E5" dead
check "the other dead delivery is still dead" has_delivery "$E4" dead
run ctl outbox retry 999999
check "outbox retry of an unknown id: exit 1" expect_rc 1
check "... with a one-line reason" sh -c '[ -n "$1" ] && [ "$(printf "%s\n" "$1" | wc -l)" -eq 1 ]' _ "$ERR"
run ctl outbox retry --all-dead
check "delistctl outbox retry --all-dead succeeds" expect_rc 0
check "... and the 400'd delivery arrives now" wait_for 10 seen case="$C4" event=case.opened status=200
nothing_dead() { deliveries dead && ! grep '"id"' "$T/outbox" >/dev/null; }
check "... nothing is left dead" wait_for 5 nothing_dead
run ctl outbox --dead
check "outbox --dead no longer lists them" lacks "$OUT" "HTTP 4"
check "the outbox is idle" wait_for 10 idle

# --- a receiver that hangs: timeout, retry ---------------------------------
mode hang
open_case 1005001000000006
C6=$C
E6=$(event_id "$C6" case.opened)
check "the receiver takes the request and hangs" wait_for 10 seen case="$C6" status=hang
check "... the attempt times out after the configured 2s" wait_for 10 error_has "$E6" pending "timeout after 2s"
check "... the daemon answers meanwhile" sock_up
mode ok
check "... and the retry is delivered" wait_for 15 seen case="$C6" status=200
check "the outbox is idle" wait_for 10 idle

# --- a receiver that drops the connection ------------------------------------
mode drop
open_case 1005001000000007
C7=$C
E7=$(event_id "$C7" case.opened)
check "the receiver drops the connection" wait_for 10 seen case="$C7" status=drop
check "... the row stays pending with a transport error" wait_for 10 errored "$E7" pending
diag "drop: $(delivery_of "$E7" pending | sed -n 's/.*"last_error": *\("[^"]*"\).*/\1/p')"
mode ok
check "... and the retry is delivered" wait_for 15 seen case="$C7" status=200
check "the outbox is idle" wait_for 10 idle

# --- a case's events in order, the first one retried -----------------------
mode fail-first:2
open_case 1005001000000008
C8=$C
run ctl case note "$C8" "first fix"
run ctl case note "$C8" "second fix"
check "a case's three events are all delivered" wait_for 20 seen_n 2 case="$C8" event=case.note status=200
order=$(sel case="$C8" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } print f["event"], f["status"], f["id"] }')
diag "case $C8 as received:" "$order"
check "... the first one after two 500s" equals \
    "$(printf '%s\n' "$order" | sed -n 1,3p | cut -d' ' -f1-2 | tr '\n' ,)" \
    "case.opened 500,case.opened 500,case.opened 200,"
check "... no later event before the first was acknowledged" equals \
    "$(printf '%s\n' "$order" | sed -n '4,$p' | cut -d' ' -f1-2 | tr '\n' ,)" \
    "case.note 200,case.note 200,"
check "... delivered in the trail's order" sh -c 'printf "%s\n" "$1" | awk "\$2 == 200 { if (\$3 + 0 <= last) exit 1; last = \$3 + 0 }"' _ "$order"
check "the outbox is idle" wait_for 10 idle

# --- reload: a kept instance, then a changed one ----------------------------
run ctl reload
check "delistctl reload with the same webhook blocks succeeds" expect_rc 0
mode ok
open_case 1005001000000010
C10=$C
check "after the reload the kept instance still delivers" wait_for 10 seen case="$C10" event=case.opened status=200
line=$(sel case="$C10" event=case.opened status=200 | sed -n 1p)
check "... to the same URL, signed, with its extra header" sh -c 'case "$1" in *" path=/hook "*" sig=ok "*" hdr=$2 "*) ;; *) exit 1;; esac' _ "$line" "$TOKEN"
TOKEN2=erp-Token-2nd-91ce
sed "s/$TOKEN/$TOKEN2/" "$conf" > "$conf.new" && mv "$conf.new" "$conf"
run ctl reload
check "delistctl reload with a changed webhook block succeeds" expect_rc 0
run ctl case note "$C10" "after the change"
check "the re-created instance delivers with its new header" wait_for 10 seen case="$C10" event=case.note status=200 hdr="$TOKEN2"
check "the outbox is idle" wait_for 10 idle

# --- secrets stay secret ---------------------------------------------------
run ctl outbox
check "outbox output shows neither the secret nor the token" sh -c 'case "$1" in *"$2"*|*"$3"*) exit 1;; esac' _ "$OUT" "$SECRET" "$TOKEN"
check "the daemon log has neither the secret nor the tokens" sh -c '! grep -q -e "$2" -e "$3" -e "$4" "$1"' _ "$T/daemon.log" "$SECRET" "$TOKEN" "$TOKEN2"

# --- a receiver that is gone: connection refused, retried ------------------
stop_fake
open_case 1005001000000009
C9=$C
E9=$(event_id "$C9" case.opened)
check "with the receiver gone, the row stays pending with a connect error" wait_for 10 error_has "$E9" pending "onnect"
diag "refused: $(delivery_of "$E9" pending | sed -n 's/.*"last_error": *\("[^"]*"\).*/\1/p')"
check "delistd stops cleanly with a delivery pending" stop_daemon TERM
check "... exit 0" equals "$DAEMON_RC" 0

# --- the webhook's configuration errors --------------------------------------
# refused DESC BLOCK-KEYS NEEDLE: delistd -t refuses erp with these keys.
refused() {
	cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$T/state2"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "erp"; module = "webhook"; events = [ "case.*" ];
	$2 } );
CONF
	run "$DELISTD" -t -c "$T/bad.conf"
	if [ "$RC" != 0 ] && contains "$ERR" "$3" >/dev/null; then
		pass "$1"
	else
		fail "$1"; diag "exit $RC" "stderr: $ERR" "want: $3"
	fi
}
refused "a url that is not http(s) is refused" 'url = "ftp://127.0.0.1/hook";' \
    "url: expected http:// or https://"
check "... naming the file, the line and the instance" contains "$ERR" "$T/bad.conf:3: plugin erp (module webhook)"
refused "a missing url is refused" 'timeout = "5s";' "url is required"
refused "a url without a host is refused" 'url = "http:///hook";' "url: no host"
refused "a header value with a line break is refused" \
    'url = "http://127.0.0.1:9/hook"; headers = [ "X-Erp-Token: abc\r\nX-Evil: 1" ];' \
    "headers[0]: the value of X-Erp-Token contains a line break"
check "... without repeating the value" sh -c 'case "$1" in *abc*|*X-Evil*) exit 1;; esac' _ "$ERR"
refused "a header that is not Name: value is refused" \
    'url = "http://127.0.0.1:9/hook"; headers = [ "no colon here" ];' "headers[0]: expected \"Name: value\""
refused "a header the webhook sets itself is refused" \
    'url = "http://127.0.0.1:9/hook"; headers = [ "Idempotency-Key: x" ];' "Idempotency-Key is set by the webhook itself"
refused "a bad timeout is refused" 'url = "http://127.0.0.1:9/hook"; timeout = "soon";' \
    "timeout: expected a duration"
refused "an unknown key is refused" 'url = "http://127.0.0.1:9/hook"; urll = "x";' "urll"
printf '%s\n' "$SECRET" > "$T/open.secret"
chmod 644 "$T/open.secret"
refused "a secret file readable by others is refused" \
    "url = \"http://127.0.0.1:9/hook\"; secret_file = \"$T/open.secret\";" "$T/open.secret"
check "... saying why" contains "$ERR" "group or others"
check "... without printing the secret" lacks "$ERR" "$SECRET"
: > "$T/empty.secret"
chmod 600 "$T/empty.secret"
refused "an empty secret file is refused" \
    "url = \"http://127.0.0.1:9/hook\"; secret_file = \"$T/empty.secret\";" "empty"

# Start-up refuses what -t refuses, and says so.
cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$T/state2"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "erp"; module = "webhook"; url = "gopher://x/"; } );
CONF
"$DELISTD" -f -c "$T/bad.conf" > "$T/bad.out" 2>&1 &
bad_pid=$!
gone() { ! kill -0 "$1" 2>/dev/null; }
if wait_for 10 gone "$bad_pid"; then
	wait "$bad_pid"
	bad_rc=$?
	check "delistd does not start with a bad webhook url (exit non-zero)" sh -c '[ "$1" != 0 ]' _ "$bad_rc"
	check "... and says why" grep -q "url: expected http:// or https://" "$T/bad.out"
else
	kill "$bad_pid" 2>/dev/null
	fail "delistd does not start with a bad webhook url"
	diag "$(cat "$T/bad.out")"
fi

finish
