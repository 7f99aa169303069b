#!/bin/sh
# SPDX-License-Identifier: ISC
# calendar.sh: the shipped calendar of mainland China's 2026 holidays
# (etc/calendar-cn-2026.conf) and a calendar that says when it runs out
# (calendar.uncovered), on the test clock, through the real delistd and
# delistctl (issue 12).
#
# The shipped file is @included into the calendar section as in the
# example delistd.conf: it passes delistd -t, and the escalation deadlines
# of appeals around Golden Week count its holidays and make-up workdays.
# It has no 2027 date, so from 00:00 on 2 November 2026 in a shop's zone
# (60 days before 2027) delistd warns: calendar.uncovered once per shop
# and year (not again after a restart or reload), a line in delistctl
# status, the warning in the daily digest's data, a log line at start and
# reload. Dates for 2027 end the warning; the year running without dates
# warns too; a weekend-only calendar never does.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
at() { date -u -d "$1" +%s; }
events_json() { curl -sS --unix-socket "$SOCK" "http://localhost/v1/events?limit=100000"; }
# uncovered SHOP: how many calendar.uncovered the trail has for the shop.
uncovered() {
	events_json | jq "[.events[] | select(.type == \"calendar.uncovered\" and .shop == \"$1\")] | length"
}
uncovered_is() { [ "$(uncovered "$1")" = "$2" ]; }
# last_digest_warnings SHOP: the warnings of the shop's latest digest.daily.
last_digest_warnings() {
	events_json | jq -c "[.events[] | select(.type == \"digest.daily\" and .shop == \"$1\")] | last | .data.warnings"
}
log_count() { grep -c "$1" "$T/daemon.log"; }

cp "$top_srcdir/etc/calendar-cn-2026.conf" "$T/" || exit 99
base='daemon: { state_dir = "'$STATE'"; log_level = "debug"; timezone = "Asia/Shanghai"; };
rules: { escalate_after_business_days = 5; };
shops = ( { name = "main"; }, { name = "us"; timezone = "America/New_York"; } );'
conf=$T/delistd.conf
printf '%s\n%s\n' "$base" 'calendar: {
	weekend = ["sat", "sun"];
	@include "calendar-cn-2026.conf"
};' > "$conf"

run "$DELISTD" -t -c "$conf"
check "a configuration including the shipped calendar-cn-2026.conf passes -t" expect_rc 0

# A bad date in an included group is reported at its own file and line.
printf '%s\n' 'bad_2026: {' '	holidays = [ "2026-02-30" ];' '	holiday = [ ];' '};' > "$T/bad.conf"
printf '%s\n%s\n' "$base" 'calendar: {
	@include "bad.conf"
};' > "$T/bad-main.conf"
run "$DELISTD" -t -c "$T/bad-main.conf"
check "a bad date in an included group of dates is refused (exit 1)" expect_rc 1
check "... at its file and line" contains "$ERR" "$T/bad.conf:2: calendar.bad_2026.holidays[0]: invalid date \"2026-02-30\""
check "... and an unknown key in the group too" contains "$ERR" "$T/bad.conf:3: calendar.bad_2026.holiday: unknown key (known keys here: holidays, workdays)"

# --- the 2026 schedule as the deadlines count it ----------------------------
P1=1005004000000001
P2=1005004000000002
printf '%s' "We removed the absolute terms from the title of the listing; the new title names only the product and its size." > "$T/s.txt"
appeal() {
	_c=$(ctl case open main "$1" --reason prohibited_words)
	ctl case note "$_c" "removed the absolute terms" --field title >/dev/null
	ctl case appeal "$_c" --platform-case "$2" --statement "$T/s.txt" --force >/dev/null
	ctl --json case show "$_c"
}
setclock "$(at 2026-09-18T10:00:00+08:00)"
check "delistd starts on it" start_daemon "$conf"
ctl track main $P1 >/dev/null
ctl track main $P2 >/dev/null
OUT=$(appeal $P1 5099000001)
# Fri 18 Sep 10:00: Sun 20 (make-up, 1), Mon 21 (2) ... Thu 24 (5).
check "an appeal on Fri 18 Sep 2026 escalates on Thu 24 Sep: Sun 20 Sep is a make-up workday" contains "$OUT" '"escalate_due_at": "2026-09-24T02:00:00Z"'
setclock "$(at 2026-09-29T10:00:00+08:00)"
OUT=$(appeal $P2 5099000002)
# Tue 29 Sep 10:00: Wed 30 (1), Golden Week, Thu 8 (2), Fri 9 (3), Sat 10 (make-up, 4), Mon 12 (5).
check "an appeal on Tue 29 Sep 2026 escalates on Mon 12 Oct: Golden Week off, Sat 10 Oct a make-up workday" contains "$OUT" '"escalate_due_at": "2026-10-12T02:00:00Z"'

run ctl status
check "in September 2026 the calendar covers this year and the next is far: no warning" lacks "$OUT" "warning "
run ctl --json status
check "... and status --json has an empty warnings array" contains "$(echo "$OUT" | tr -d ' \n')" '"warnings":[]'

# --- 2027 comes within 60 days ------------------------------------------------
setclock "$(at 2026-11-01T23:59:59+08:00)"
check "61 days before 2027 there is no calendar.uncovered" uncovered_is main 0
setclock "$(at 2026-11-02T00:00:00+08:00)"
check "at 00:00 on 2 November in Shanghai, calendar.uncovered for shop main" wait_for 5 uncovered_is main 1
check "... not yet for shop us, whose 2 November has not begun" uncovered_is us 0
ev=$(events_json | jq -c '[.events[] | select(.type == "calendar.uncovered")] | first')
check "... a warning" contains "$ev" '"severity":"warning"'
check "... naming the year and the zone" contains "$ev" '"year":2027,"timezone":"Asia/Shanghai"'
check "... and saying what to do" contains "$ev" "the calendar of shop main (Asia/Shanghai) has no holiday or make-up workday in 2027, which begins on 2027-01-01: every weekday will count as a business day; add 2027's dates to the calendar in delistd.conf"
check "... logged" test "$(log_count 'calendar: the calendar of shop main (Asia/Shanghai) has no holiday or make-up workday in 2027')" -ge 1
run ctl status
check "delistctl status has a warning line for it" contains "$OUT" "warning      the calendar of shop main (Asia/Shanghai) has no holiday or make-up workday in 2027"
run ctl --json status
check "... from the status JSON's warnings" contains "$(echo "$OUT" | tr -d '\n' | tr -s ' ')" '"warnings": [ { "code": "calendar.uncovered", "shop": "main", "text": "the calendar of shop main'
setclock "$(at 2026-11-02T00:00:00-05:00)"
check "at 00:00 on 2 November in New York, calendar.uncovered for shop us" wait_for 5 uncovered_is us 1
check "... and main's is not raised again" uncovered_is main 1
check "main's daily digest (Monday 2 Nov 09:00) carries the warning" contains "$(last_digest_warnings main)" '[{"code":"calendar.uncovered","text":"the calendar of shop main (Asia/Shanghai) has no holiday or make-up workday in 2027'

n=$(log_count 'calendar: the calendar of shop main')
stop_daemon
check "delistd stops" equals "$DAEMON_RC" 0
check "delistd starts again" start_daemon "$conf"
check "the warning is logged at start" test "$(log_count 'calendar: the calendar of shop main')" -gt "$n"
check "... but not raised again after the restart" equals "$(uncovered main) $(uncovered us)" "1 1"
n=$(log_count 'calendar: the calendar of shop main')
run ctl reload
check "a reload logs it again" test "$(log_count 'calendar: the calendar of shop main')" -gt "$n"
check "... and raises nothing" equals "$(uncovered main) $(uncovered us)" "1 1"

# --- dates for 2027 end it; the year running without dates warns ------------
# (2027-01-01 here is test data, not a date from a State Council notice.)
printf '%s\n' 'test_2027: { holidays = [ "2027-01-01" ]; };' > "$T/cal-2027.conf"
printf '%s\n%s\n' "$base" 'calendar: {
	@include "calendar-cn-2026.conf"
	@include "cal-2027.conf"
};' > "$conf"
run ctl reload
check "a reload with a 2027 date in a second included group is taken" expect_rc 0
run ctl status
check "... and the warning is gone" lacks "$OUT" "warning "
printf '%s\n%s\n' "$base" 'calendar: {
	@include "calendar-cn-2026.conf"
};' > "$conf"
ctl reload >/dev/null
setclock "$(at 2027-03-01T12:00:00+08:00)"
run ctl status
check "in March 2027 without 2027 dates, status warns about the year running" contains "$OUT" "warning      the calendar of shop main (Asia/Shanghai) has no holiday or make-up workday in 2027, the current year"
check "... raising nothing new (2027 was raised for main already)" equals "$(uncovered main) $(uncovered us)" "1 1"
printf '%s\n' "$base" > "$conf"
ctl reload >/dev/null
run ctl status
check "a weekend-only calendar (no date at all) is never warned about" lacks "$OUT" "warning "

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
