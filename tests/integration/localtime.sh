#!/bin/sh
# SPDX-License-Identifier: ISC
# localtime.sh: every time a person reads is in the shop's zone, named
# (issue 17). The same case in a shop in Asia/Shanghai (the daemon's zone)
# and in one in Europe/Berlin, on the test clock: case show and cases give
# each shop's local times, Berlin's across its change back to winter time
# on 2026-10-25; cases has its columns (age, next deadline, next step,
# assignee) and cuts a long Chinese title by display width with "…".
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf" '
shops = ( { name = "main"; }, { name = "eu"; timezone = "Europe/Berlin"; } );'
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK

P=1005001234567890
PLONG=1005001234567891
T_OPEN=1792476000   # 2026-10-20T06:00:00Z, Tue 14:00 Shanghai, 08:00 CEST
T_LATER=1792569600  # 2026-10-21T08:00:00Z, 26 hours later
setclock $T_OPEN
check "delistd starts" start_daemon "$conf"

printf '%s' "We removed the absolute terms best quality and No.1 from the title of listing $P; the new title is LED strip 5m warm white, see the attached screenshots with the address bar." > "$T/good.txt"
for shop in main eu; do
	ctl track $shop $P --title "LED strip 5m warm white" >/dev/null
done
C_MAIN=$(ctl case open main $P --reason prohibited_words)
C_EU=$(ctl case open eu $P --reason prohibited_words)
for c in "$C_MAIN" "$C_EU"; do
	ctl case note "$c" "removed the absolute terms" --field title >/dev/null
	run ctl case appeal "$c" --platform-case "50$c" --statement "$T/good.txt"
	check "case $c is appealed" expect_rc 0
done

# Feedback is due 72 h after the appeal; escalation after 5 business days,
# at the same local time: Tuesday 27 October, after Berlin's clocks went
# back (CEST, +02:00, to CET, +01:00) on Sunday 25 October.
run ctl case show "$C_MAIN"
check "case show: Shanghai's case opened at 14:00 CST, zone named" contains "$OUT" "opened    2026-10-20 14:00 CST (Asia/Shanghai)"
check "... its feedback due at 14:00 on Friday" contains "$OUT" "feedback due    2026-10-23 14:00 CST (Asia/Shanghai)"
check "... its escalation at 14:00 on Tuesday 27 October" contains "$OUT" "escalation due  2026-10-27 14:00 CST (Asia/Shanghai)"
check "... no UTC time left in it" lacks "$OUT" ":00Z"
run ctl case show "$C_EU"
check "case show: Berlin's case opened at 08:00 CEST" contains "$OUT" "opened    2026-10-20 08:00 CEST (Europe/Berlin)"
check "... its feedback due at 08:00 CEST on Friday" contains "$OUT" "feedback due    2026-10-23 08:00 CEST (Europe/Berlin)"
check "... its escalation at 08:00 CET, after the change to winter time" contains "$OUT" "escalation due  2026-10-27 08:00 CET (Europe/Berlin)"

# --- cases: the columns ------------------------------------------------------
TITLE="超长标题测试不锈钢保温杯大容量便携男女学生水杯子一体"
ctl track main $PLONG --title "$TITLE" >/dev/null
C_LONG=$(ctl case open main $PLONG --reason other)
setclock $T_LATER
run ctl cases
check "cases exits 0" expect_rc 0
head=$(printf '%s\n' "$OUT" | head -n 1)
check "cases has the columns AGE, NEXT DEADLINE, NEXT STEP, ASSIGNEE" sh -c 'case "$1" in *"APPEALS"*"AGE"*"NEXT DEADLINE"*"NEXT STEP"*"ASSIGNEE"*"TITLE") ;; *) echo "$1"; exit 1;; esac' _ "$head"
row_of() { printf '%s\n' "$OUT" | awk -v id="$1" '$1 == id'; }
check "the Shanghai case: 26 hours old, feedback next, in Shanghai time" sh -c 'case "$1" in *"  1d2h  2026-10-23 14:00 CST (Asia/Shanghai)"*" wait for the decision, do not resubmit  "*"-  "*) ;; *) echo "$1"; exit 1;; esac' _ "$(row_of "$C_MAIN")"
check "the Berlin case: its next deadline in Berlin time" contains "$(row_of "$C_EU")" "2026-10-23 08:00 CEST (Europe/Berlin)"
check "... and says to rectify" contains "$(row_of "$C_LONG")" "rectify the listing"
# 30 columns: 14 characters of 2 columns and "…".
check "a long Chinese title is cut to 30 columns with an ellipsis" sh -c 'case "$1" in *"  超长标题测试不锈钢保温杯大容…") ;; *) echo "$1"; exit 1;; esac' _ "$(row_of "$C_LONG")"
check "... never wrapped: one line per case" equals "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 4
# Columns line up by display width: TITLE starts at the same column in
# every row (the columns before it are ASCII: characters are columns).
title_col() { printf '%s\n' "$OUT" | sed -n "$1p" | sed 's/\(.*  \)[^ ].*$/\1/' | wc -m; }
check "... and TITLE starts at the same column in the header and the rows" sh -c '[ "$1" = "$2" ]' _ "$(title_col 1)" "$(title_col 4)"

# --- events and the JSON -------------------------------------------------------
run ctl events --case "$C_EU"
check "events shows the Berlin case's events in Berlin time, zone in the header" sh -c 'case "$1" in *"TIME (Europe/Berlin)"*"2026-10-20 08:00 CEST  "*) ;; *) echo "$1"; exit 1;; esac' _ "$OUT"
run ctl events
check "events of both shops name each time's zone" sh -c 'case "$1" in *"2026-10-20 14:00 CST (Asia/Shanghai)"*"2026-10-20 08:00 CEST (Europe/Berlin)"*) ;; *) echo "$1"; exit 1;; esac' _ "$OUT"
run ctl --json case show "$C_EU"
check "the JSON stays UTC" contains "$OUT" '"opened_at": "2026-10-20T06:00:00Z"'
run ctl --json status
check "status names each shop's zone" sh -c 'printf "%s" "$1" | jq -e ".timezone == \"Asia/Shanghai\" and (.shops | map({(.name): .timezone}) | add) == {\"main\": \"Asia/Shanghai\", \"eu\": \"Europe/Berlin\"}" >/dev/null' _ "$OUT"

stop_daemon
finish
