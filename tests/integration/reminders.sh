#!/bin/sh
# SPDX-License-Identifier: ISC
# reminders.sh: reminders of critical conditions, acknowledgements and
# snoozes, on the test clock, with tests/fakes/fake_webhook as the sink.
#
# An escalated appeal is re-announced (case.escalated.reminder) every 24
# business hours; "delistctl case ack --for 2d" stops the reminders, which
# resume when it lapses; they skip the weekend; a restart neither repeats
# nor loses one; an acknowledgement without --for holds until the case
# changes state, and that change clears it: the manual review that follows
# is reminded of again. A dead delivery is a condition of its own
# (delivery.dead.reminder), taken on with "delistctl ack" and resolved by
# "delistctl outbox retry". "delistctl snooze" mutes a sink of module mail
# for the shop, never the webhook, and shows in status: its mail is held,
# then sent as one summary when it ends, the shop's open critical
# conditions announced again. Bad input last.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/webhook.so" "$PLUGIN_DIR/mail.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

check "fake_webhook starts and writes its port" start_fake_webhook --timeout 600

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
flat() { awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'; }
events_of() { ctl --json events --case "$1" | flat; }
all_events() {
	curl -sS --unix-socket "$SOCK" "http://localhost/v1/events?limit=100000" | flat
}
count() { events_of "$1" | grep -c "\"type\": \"$2\""; }
has_count() { [ "$(count "$1" "$2")" = "$3" ]; }
all_count() { all_events | grep -c "\"type\": \"$1\""; }
has_all_count() { [ "$(all_count "$1")" = "$2" ]; }
hooks() { grep -c "path=$1 .*event=$2 " "$HOOKLOG" 2>/dev/null; }
hooks_are() { [ "$(hooks "$1" "$2")" = "$3" ]; }
squash() { tr -d ' \n'; }
one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || { echo "not one line: $1"; return 1; }; }
# outbox_has SINK EVENT_ID: the outbox has a row of that event for that sink.
outbox_has() {
	for st in pending held dead done; do
		curl -sS --unix-socket "$SOCK" "http://localhost/v1/outbox?state=$st"
	done | flat | grep "\"sink\": \"$1\"" | grep -q "\"event_id\": $2,"
}
last_id() { events_of "$1" | grep "\"type\": \"$2\"" | tail -n 1 | sed 's/^[^0-9]*"id": \([0-9]*\).*/\1/'; }

ME=cli:$(id -un)
conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
rules: { max_appeals = 1; };
shops = ( { name = "main"; }, { name = "outlet"; } );
plugins = (
	{ name = "erp"; module = "webhook"; url = "$URL/erp";
	  events = [ "*" ]; min_severity = "info"; },
	{ name = "gone"; module = "webhook"; url = "http://127.0.0.1:1/gone";
	  events = [ "case.opened" ]; max_attempts = 1; timeout = "2s"; },
	{ name = "ops-mail"; module = "mail"; url = "smtp://127.0.0.1:1";
	  from = "delistd@example.com"; to = [ "ops@example.com" ];
	  events = [ "*" ]; min_severity = "info"; retry_base = "1h";
	  retry_cap = "1h"; max_attempts = 1000; }
);
CONF

# Shanghai (UTC+8), no holidays in November 2026. T_E is the escalation
# (5 business days after the appeal), Monday 2026-11-09 10:00 local.
DAY=86400
H=3600
T_OPEN=1793581200   # Mon 2026-11-02 09:00
T_APPEAL=1793584800 # Mon 2026-11-02 10:00
T_E=1794189600      # Mon 2026-11-09 10:00
P1=1005001234600001
P2=1005001234600002

run "$DELISTD" -t -c "$conf"
check "the config passes delistd -t" expect_rc 0
setclock $T_OPEN
check "delistd starts on the test clock" start_daemon "$conf"

# --- a dead delivery: a condition of its own ------------------------------
run ctl case open main $P1 --reason prohibited_words
C1=$OUT
check "the case.opened delivery to an unreachable sink dies" wait_for 10 has_all_count delivery.dead 1
run ctl conditions
check "delistctl conditions lists the dead delivery" contains "$OUT" "delivery.dead"
D1=$(ctl --json conditions | flat | grep '"type": "delivery.dead"' | sed 's/^[^0-9]*"id": \([0-9]*\).*/\1/')
check "... with an id" sh -c 'expr "$1" : "[0-9][0-9]*$"' _ "$D1"
run ctl case note "$C1" "removed the absolute terms"
check "a note on the case (open -> rectifying) does not resolve the dead delivery" contains "$(ctl conditions)" "delivery.dead"
setclock $T_APPEAL
printf 'We removed the words best and No.1 from the title.' > "$T/s1.txt"
# Minimal statements: this test is not about the preflight (preflight.sh), so --force.
run ctl case appeal "$C1" --platform-case 5099000011 --statement "$T/s1.txt" --force
check "the appeal is recorded" expect_rc 0
setclock $((T_OPEN + DAY - 1))
check "no reminder of the dead delivery before 24 business hours" has_all_count delivery.dead.reminder 0
setclock $((T_OPEN + DAY))
check "delivery.dead.reminder after 24 business hours" wait_for 5 has_all_count delivery.dead.reminder 1
ev=$(all_events | grep '"type": "delivery.dead.reminder"')
check "... critical" contains "$ev" '"severity": "critical"'
check "... naming its condition and how to take it on" contains "$ev" "delistctl ack $D1"
check "... delivered to the webhook" wait_for 5 hooks_are /erp delivery.dead.reminder 1
run ctl ack "$D1" --comment "fixing the receiver"
check "delistctl ack takes the dead delivery on" expect_rc 0
acked_by_me() { all_events | squash | grep -q "\"actor\":\"$ME\",\"type\":\"$1\""; }
check "... recorded in the trail as condition.acknowledged by the user" acked_by_me condition.acknowledged
setclock $((T_OPEN + 2 * DAY))
check "no reminder of an acknowledged dead delivery" has_all_count delivery.dead.reminder 1
run ctl outbox retry --all-dead
check "outbox retry requeues it" expect_rc 0
not_listed() { ! ctl --json conditions | squash | grep -q "\"id\":$1,"; }
check "... and its condition is resolved" not_listed "$D1"

# --- an escalated appeal, reminded until taken on -------------------------
setclock $T_E
check "the appeal escalates on Monday 9 Nov" wait_for 5 has_count "$C1" case.escalated 1
setclock $((T_E + DAY - 1))
check "no reminder 1 second before 24 business hours" has_count "$C1" case.escalated.reminder 0
setclock $((T_E + DAY))
check "case.escalated.reminder 24 hours after the escalation" wait_for 5 has_count "$C1" case.escalated.reminder 1
ev=$(events_of "$C1" | grep '"type": "case.escalated.reminder"')
check "... critical, dated at its due time" sh -c 'case "$1" in *"\"at\": \"2026-11-10T02:00:00Z\""*"\"severity\": \"critical\""*) ;; *) exit 1;; esac' _ "$ev"
check "... saying how to take it on" contains "$ev" "delistctl case ack $C1"
check "... delivered to the webhook" wait_for 5 hooks_are /erp case.escalated.reminder 1

setclock $((T_E + DAY + H))
run ctl case ack "$C1" --for 2d --comment "calling customer service"
check "case ack --for 2d succeeds" expect_rc 0
check "... and says until when" contains "$OUT" "no reminders until 2026-11-12T03:00:00Z"
ev=$(events_of "$C1" | grep '"type": "case.acknowledged"')
check "the trail records who took it on, and the comment" sh -c 'case "$1" in *"\"actor\": \"$2\""*"calling customer service"*) ;; *) exit 1;; esac' _ "$ev" "$ME"
run ctl case show "$C1"
check "case show says who took it on" contains "$OUT" "acknowledged by $ME"
setclock $((T_E + 2 * DAY))
check "no reminder while acknowledged (Wednesday)" has_count "$C1" case.escalated.reminder 1
setclock $((T_E + 3 * DAY + H - 1))
check "none up to the second the acknowledgement lapses" has_count "$C1" case.escalated.reminder 1
setclock $((T_E + 3 * DAY + H))
check "the reminders resume when it lapses" wait_for 5 has_count "$C1" case.escalated.reminder 2
check "... saying the acknowledgement lapsed" contains "$(events_of "$C1" | grep '"type": "case.escalated.reminder"' | tail -n 1)" "the acknowledgement by $ME lapsed"
setclock $((T_E + 4 * DAY + H))
check "and come again on Friday" wait_for 5 has_count "$C1" case.escalated.reminder 3

check "the daemon stops before the weekend" stop_daemon TERM
check "... and comes back" start_daemon "$conf"
check "no reminder is repeated by the restart" has_count "$C1" case.escalated.reminder 3
setclock $((T_E + 5 * DAY + H))
check "no reminder on Saturday" has_count "$C1" case.escalated.reminder 3
setclock $((T_E + 6 * DAY + H))
check "no reminder on Sunday" has_count "$C1" case.escalated.reminder 3
setclock $((T_E + 7 * DAY + H - 1))
check "none on Monday before 24 business hours" has_count "$C1" case.escalated.reminder 3
setclock $((T_E + 7 * DAY + H))
check "the next one on Monday: the weekend does not count" wait_for 5 has_count "$C1" case.escalated.reminder 4

setclock $((T_E + 7 * DAY + 2 * H))
run ctl case ack "$C1"
check "case ack without --for holds until the state changes" contains "$OUT" "no reminders until its state changes"
setclock $((T_E + 9 * DAY + 2 * H))
check "no reminder for two days" has_count "$C1" case.escalated.reminder 4

run ctl case decision "$C1" --rejected "the title still has a banned word"
check "the rejection moves the case to manual review (max_appeals = 1)" contains "$OUT" "state manual_review"
run ctl --json case show "$C1"
check "the state change cleared the acknowledgement" contains "$OUT" '"ack": null'
check "... and resolved the escalation's condition" sh -c 'printf "%s" "$1" | tr -d " \n" | grep -q "\"conditions\":\[{[^]]*\"type\":\"case.manual_review\"[^]]*\]" && ! printf "%s" "$1" | tr -d " \n" | grep -q "\"conditions\":\[[^]]*case.escalated\""' _ "$OUT"
setclock $((T_E + 10 * DAY + 2 * H))
check "the manual review is reminded of: the old ack is gone" wait_for 5 has_count "$C1" case.manual_review.reminder 1
check "the escalation is not reminded of any more" has_count "$C1" case.escalated.reminder 4
run ctl case decision "$C1" --approved
check "the re-review's approval ends the manual review" contains "$OUT" "state approved"
setclock $((T_E + 11 * DAY + 2 * H))
check "no more reminders once resolved" has_count "$C1" case.manual_review.reminder 1

# --- snooze ---------------------------------------------------------------
# A snooze defers mail, never drops it. A mail queued before the snooze
# (its server is down: retried hourly) is held while it lasts, and so is
# every mail of the shop raised meanwhile; when it ends, what was held goes
# as one summary (shop.held_mail) and each open critical condition of the
# shop (the dead delivery of the case opened here) is announced again.
P3=1005001234600003
DEAD0=$(all_count delivery.dead)
run ctl case open main $P3 --reason other
C4=$OUT
E4=$(last_id "$C4" case.opened)
row_of() { # SINK EVENT_ID STATE: the outbox row, flattened
	curl -sS --unix-socket "$SOCK" "http://localhost/v1/outbox?state=$3" | flat |
	    grep "\"sink\": \"$1\"" | grep "\"event_id\": $2,"
}
tried_once() { row_of ops-mail "$E4" pending | grep -q '"attempts": 1,'; }
check "before a snooze, a mail is queued and tried (its server is down)" wait_for 10 tried_once
check "... and its case.opened died at gone: a critical condition" wait_for 10 has_all_count delivery.dead $((DEAD0 + 1))
REM0=$(all_count delivery.dead.reminder)
run ctl snooze main --for 1d --comment "on holiday"
check "snooze SHOP --for 1d succeeds" expect_rc 0
check "... and says until when, and what happens then" contains "$OUT" "shop main: mail held until 2026-11-21T04:00:00Z, then sent in one summary"
setclock $((T_E + 11 * DAY + 3 * H + 60))
held() { row_of ops-mail "$1" held | grep -q '"held_until": "2026-11-21T0'; }
check "its retry during the snooze is held, not dropped, until the snooze ends" wait_for 5 held "$E4"
check "... and not tried again" sh -c 'curl -sS --unix-socket "$1" "http://localhost/v1/outbox?state=held" | grep -q "\"attempts\": 1,"' _ "$SOCK"
run ctl outbox
check "delistctl outbox shows it held, and until when" sh -c 'printf "%s\n" "$1" | grep "case.opened" | grep -q "held (snoozed until 2026-11-21 [0-9:]* CST (Asia/Shanghai))"' _ "$OUT"
run ctl status
check "status lists the snooze, who and why" sh -c 'printf "%s\n" "$1" | grep -q "^snoozed *main until .*, by $2: on holiday"' _ "$OUT" "$ME"
api GET /v1/status
check "GET /v1/status has it in snoozes" sh -c 'printf "%s" "$1" | tr -d " \n" | grep -q "\"snoozes\":\[{\"shop\":\"main\""' _ "$BODY"
check "the trail records the snooze, and who did it" acked_by_me shop.snoozed
run ctl case open main $P2 --reason other
C2=$OUT
E2=$(last_id "$C2" case.opened)
check "while snoozed, the webhook still gets the shop's events" wait_for 5 outbox_has erp "$E2"
check "... and the mail sink holds them" wait_for 5 held "$E2"
check "... and the trail still has it" has_count "$C2" case.opened 1
run ctl case open outlet $P2 --reason other
C3=$OUT
check "another shop's events still go to the mail sink" wait_for 5 outbox_has ops-mail "$(last_id "$C3" case.opened)"
check "no summary while the snooze lasts" has_all_count shop.held_mail 0
run ctl snooze main --off
check "snooze SHOP --off ends it" contains "$OUT" "shop main: snooze ended"
unsnoozed() { ! ctl status | grep -q "^snoozed"; }
check "... status no longer lists it" unsnoozed
check "what it held goes out as one summary mail" wait_for 5 has_all_count shop.held_mail 1
SUM=$(curl -sS --unix-socket "$SOCK" "http://localhost/v1/events?limit=100000" |
    jq '.events[] | select(.type == "shop.held_mail") | .id')
check "... to the mail sink" wait_for 5 outbox_has ops-mail "$SUM"
sum=$(curl -sS --unix-socket "$SOCK" "http://localhost/v1/events?limit=100000" |
    jq -c '.events[] | select(.type == "shop.held_mail")')
check "... listing the case.opened held since before the snooze" contains "$sum" "\"event_id\":$E4,\"type\":\"case.opened\""
check "... and the one raised during it" contains "$sum" "\"event_id\":$E2,\"type\":\"case.opened\""
check "... and the critical delivery.dead" contains "$sum" '"type":"delivery.dead","severity":"critical"'
sent_in() { row_of ops-mail "$1" done | grep -q "sent in its summary, event $SUM"; }
check "each held row is settled, saying where it went" wait_for 5 sent_in "$E4"
check "... both" sent_in "$E2"
check "nothing is left held" sh -c '! curl -sS --unix-socket "$1" "http://localhost/v1/outbox?state=held" | grep -q "\"id\""' _ "$SOCK"
reannounced() { [ "$(all_count delivery.dead.reminder)" -ge $((REM0 + 2)) ]; }
check "each open critical condition of the shop (the two dead deliveries at least) is announced again" wait_for 5 reannounced
run ctl case note "$C2" "rewrote the title"
check "after --off the shop's mail flows again" wait_for 5 outbox_has ops-mail "$(last_id "$C2" case.note)"
run ctl snooze main --for 1h
run ctl case open main 1005001234600004 --reason other
held_any() { row_of ops-mail "$1" held | grep -q '"held_until"'; }
EN=$(last_id "$OUT" case.opened)
check "a mail of the new snooze is held" wait_for 5 held_any "$EN"
setclock $((T_E + 11 * DAY + 5 * H))
check "a snooze lapses by itself" unsnoozed
check "... and what it held goes out then, in a summary of its own" wait_for 5 has_all_count shop.held_mail 2

# --- bad input ------------------------------------------------------------
run ctl snooze nosuch --for 1d
check "snoozing an unknown shop is refused (exit 1)" expect_rc 1
check "... naming it, in one line" sh -c 'case "$1" in *"unknown shop \"nosuch\""*) ;; *) exit 1;; esac' _ "$ERR"
run ctl snooze main
check "snooze without --for or --off is a usage error (exit 2)" expect_rc 2
run ctl snooze main --for soon
check "snooze --for with a bad duration is refused (exit 1)" expect_rc 1
check "... in one line" one_line "$ERR"
run ctl snooze main --off
check "--off when not snoozed is refused (exit 1)" expect_rc 1
check "... saying so" contains "$ERR" "shop main is not snoozed"
run ctl case ack 999999
check "ack of an unknown case is refused (exit 1)" expect_rc 1
check "... saying so" contains "$ERR" "case 999999 not found"
run ctl case ack "$C1" --for 0s
check "ack --for 0s is refused (exit 1)" expect_rc 1
run ctl case ack abc
check "ack of a case ID that is no number is refused" expect_rc 1
run ctl case abandon "$C2"
run ctl case ack "$C2"
check "ack of a closed case is refused (exit 1)" expect_rc 1
check "... saying there is nothing to take on" contains "$ERR" "nothing left to take on"
api POST "/v1/cases/$C1/ack" -H 'Content-Type: application/json' -d '{"for":"1d","who":"x"}'
check "the API refuses an unknown member with 400" equals "$HTTP" 400
run ctl ack 999999
check "ack of an unknown condition is refused (exit 1)" expect_rc 1
check "the daemon stops" stop_daemon TERM
check "... cleanly" equals "$DAEMON_RC" 0

# --- a dead sink subscribed to everything: no runaway reminders ----------
# Its delivery.dead.reminder must not go to the sink that died (it would
# die too, raise another delivery.dead and condition, doubling daily).
# (Not "*": each day's digest.daily would die too, a new original.)
rm -rf "$STATE"
conf2=$T/dead.conf
cat > "$conf2" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
rules: { stall_after = "60d"; };
shops = ( { name = "main"; } );
plugins = (
	{ name = "dead"; module = "webhook"; url = "http://127.0.0.1:1/dead";
	  events = [ "case.*", "delivery.*" ]; min_severity = "info";
	  max_attempts = 1; timeout = "2s"; }
);
CONF
setclock $T_OPEN
check "delistd starts with only a dead sink" start_daemon "$conf2"
run ctl case open main $P1 --reason prohibited_words
check "the case.opened delivery dies: one delivery.dead" wait_for 10 has_all_count delivery.dead 1
conds() { ctl --json conditions | flat | grep -c '"type": "delivery.dead"'; }
for d in 1 2 3 4 5; do
	# Mon..Fri of the week, then the next Monday (weekend skipped).
	case $d in 5) t=$((T_OPEN + 7 * DAY)) ;; *) t=$((T_OPEN + d * DAY)) ;; esac
	setclock $t
	check "business day $d: $d delivery.dead.reminder" wait_for 5 has_all_count delivery.dead.reminder $d
	check "... still exactly one delivery.dead" has_all_count delivery.dead 1
	check "... and one open condition" equals "$(conds)" 1
done
api GET /v1/outbox
check "the outbox has the dead case.opened" contains "$BODY" case.opened
check "... but no reminder queued to the dead sink" lacks "$BODY" delivery.dead.reminder
check "the daemon stops" stop_daemon TERM

finish
