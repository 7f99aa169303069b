#!/bin/sh
# SPDX-License-Identifier: ISC
# tro.sh: a tro case's court matter (issue 18), through the real delistd
# and delistctl, on the test clock.
#
# Covered: a matter served on a Friday has its answer due 21 calendar days
# later (a Friday), the TRO expiry 14 days after it was granted; one served
# on a Saturday whose 21st day is a Saturday is due the Monday after (FRCP
# 6(a)); tro.deadline reminders 7, 3 and 1 days before the answer date at
# 09:00 Chicago time, each once, the last critical and a condition until
# acknowledged; frozen funds per account and currency; the dossier export
# has the matter; the case stays open when the listing is said to be back on
# sale; it ends on a recorded dismissal, which the matter keeps and after
# which no reminder fires; bad input changes nothing.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
T0=1803913200 # 2027-03-01T15:00:00Z, a Monday, 09:00 in Chicago
setclock $T0

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"

# chicago "YYYY-MM-DD HH:MM": that local time in Chicago, as epoch seconds.
chicago() { TZ=America/Chicago date -d "$1" +%s; }
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
deadlines_are() { [ "$(n_deadlines "$1" "$2")" = "$3" ]; }
deadlines() { ctl --json events | jq -c "[.events[] | select(.type == \"tro.deadline\" and .case == $1 and .data.deadline == \"$2\")]"; }
n_deadlines() { deadlines "$1" "$2" | jq length; }

ctl track main 1005006000000001 >/dev/null
C=$(ctl case open main 1005006000000001 --reason tro)
run ctl case matter "$C" --court "N.D. Ill." --docket "1:27-cv-01234" \
    --plaintiff "Brand Holdings LLC" --counsel "Doe & Roe LLP" \
    --filed 2027-02-24 --granted 2027-02-26 --served 2027-03-05 \
    --frozen "AliExpress main" --frozen-amount "1234.50 USD"
check "delistctl case matter records the matter" expect_rc 0
check "... the answer is due 21 calendar days after a Friday's service" contains "$OUT" "answer due       2027-03-26 (computed)"
check "... the TRO expires 14 days after it was granted" contains "$OUT" "TRO expires      2027-03-12 (computed)"
check "... the frozen funds per account and currency" contains "$OUT" "frozen           1234.50 USD on AliExpress main"
check "... in the court's zone" contains "$OUT" "dates in America/Chicago"
run ctl case show "$C"
check "delistctl case show has the matter too" sh -c 'case "$1" in *"court matter (dates in America/Chicago)"*"docket           1:27-cv-01234"*"answer due       2027-03-26 (computed)"*) ;; *) echo "$1"; exit 1;; esac' _ "$OUT"
if why=$(zh_ready); then
	run ctl_zh case matter "$C"
	# Labels padded to 16 display columns: 答辩截止 is 8 wide, 9 spaces follow.
	check "in Chinese: the labels line up by display width" contains "$OUT" "  答辩截止         2027-03-26"
	check "... the frozen funds" contains "$OUT" "  冻结资金         1234.50 USD，账户 AliExpress main"
	check "... a reminder names its court date in Chinese" contains "$OUT" "提前 7 天：答辩截止"
	check "... and the daemon's FRCP note in Chinese" contains "$OUT" "答辩截止：送达日起 21 个自然日"
else
	pass "delistctl case matter in Chinese # SKIP $why"
fi
M=$(ctl --json case matter "$C")
check "GET /v1/cases/ID/matter has the dates" equals "$(printf '%s' "$M" | jq -c '[.served, .answer_due, .tro_expires, .docket]')" '["2027-03-05","2027-03-26","2027-03-12","1:27-cv-01234"]'
check "... reminders 7, 3 and 1 days before the answer date at 09:00 Chicago" equals \
    "$(printf '%s' "$M" | jq -c '[.reminders[] | select(.deadline == "answer_due") | .at]')" \
    "[\"$(iso "$(chicago '2027-03-19 09:00')")\",\"$(iso "$(chicago '2027-03-23 09:00')")\",\"$(iso "$(chicago '2027-03-25 09:00')")\"]"
check "tro.matter is in the trail" equals "$(ctl --json events | jq "[.events[] | select(.type == \"tro.matter\" and .case == $C)] | length")" 1

# A Saturday's 21st day is a Saturday: due the Monday after.
ctl track main 1005006000000002 >/dev/null
C2=$(ctl case open main 1005006000000002 --reason tro)
ctl case matter "$C2" --served 2027-03-06 >/dev/null
check "an answer date on a Saturday rolls to Monday" equals "$(ctl --json case matter "$C2" | jq -r .answer_due)" 2027-03-29

# Reminders on the right days, each once.
setclock $(($(chicago '2027-03-19 09:00') - 1))
check "no answer reminder a second before 7 days ahead" equals "$(n_deadlines "$C" answer_due)" 0
setclock "$(chicago '2027-03-19 09:00')"
check "7 days before: tro.deadline" wait_for 10 deadlines_are "$C" answer_due 1
check "... at 09:00 Chicago time" equals "$(deadlines "$C" answer_due | jq -r '.[0].at')" "$(iso "$(chicago '2027-03-19 09:00')")"
check "... a warning naming the date, zone and what to do" contains "$(deadlines "$C" answer_due | jq -r '.[0].severity + " " + .[0].message')" "warning case $C (1:27-cv-01234, N.D. Ill.): the answer or a Rule 12 motion is due 2027-03-26 (America/Chicago), in 7 day(s)"
setclock "$(chicago '2027-03-23 09:00')"
check "3 days before: the second" wait_for 10 deadlines_are "$C" answer_due 2
setclock "$(chicago '2027-03-25 09:00')"
check "1 day before: the third" wait_for 10 deadlines_are "$C" answer_due 3
check "... critical" equals "$(deadlines "$C" answer_due | jq -r '.[2].severity')" critical
check "... and a condition until someone takes it on (one per court date)" equals "$(ctl --json conditions | jq "[.conditions[] | select(.type == \"tro.deadline\" and .case == $C)] | length")" 2
check "the TRO expiry had its three reminders too" equals "$(n_deadlines "$C" tro_expires)" 3

# Back on sale: the case stays open.
run ctl case reinstated "$C"
check "a listing back on sale does not end a TRO case (refused)" expect_rc 1
check "... saying it ends only on the court's outcome" contains "$ERR" "ends only on the court's outcome"
check "... the case stays open" equals "$(ctl --json case show "$C" | jq -r .state)" open

# The dossier has the matter.
run ctl case export "$C"
check "the dossier export has the court matter" contains "$OUT" "## Court matter"
check "... with the answer date" contains "$OUT" "- Answer due: 2027-03-26"
check "... and the frozen funds" contains "$OUT" "- Frozen: 1234.50 USD on AliExpress main"
check "the JSON dossier too" equals "$(ctl case export "$C" --format json | jq -r .case.matter.docket)" "1:27-cv-01234"

# Settlement and its amount.
run ctl case matter "$C2" --settled 2027-03-20 --settlement "1500.00 USD"
check "a settlement is recorded with its amount and currency" equals "$(ctl --json case matter "$C2" | jq -c '[.settled, .settlement_amount, .settlement_currency]')" '["2027-03-20","1500.00","USD"]'
run ctl case matter "$C2" --settlement "1500 usd"
check "a currency that is not ISO 4217 is refused" expect_rc 1
check "... saying so" contains "$ERR" 'bad currency "usd": three capital letters (USD)'

# Bad input changes nothing.
run ctl case matter "$C" --served 2027-02-30
check "an impossible date is refused (exit 1)" expect_rc 1
check "... saying so" contains "$ERR" 'served: "2027-02-30" is not a date (YYYY-MM-DD)'
run ctl case matter "$C" --frozen "x" --frozen-amount "12,50 USD"
check "a bad amount is refused" expect_rc 1
check "... and nothing changed" equals "$(ctl --json case matter "$C" | jq -c '[.served, (.frozen | length)]')" '["2027-03-05",1]'
ctl track main 1005006000000003 >/dev/null
C3=$(ctl case open main 1005006000000003 --reason ip_infringement)
run ctl case matter "$C3" --served 2027-03-05
check "a case that is not tro has no matter (refused)" expect_rc 1

# It ends on a recorded dismissal.
ctl case matter "$C" --pi-hearing 2027-04-09 >/dev/null
run ctl case close "$C" --outcome dismissed --note "notice of voluntary dismissal, Dkt. 45"
check "the case ends on a recorded dismissal" expect_rc 0
check "... it is no longer open" sh -c '[ "$1" != open ]' _ "$(ctl --json case show "$C" | jq -r .state)"
check "... the matter keeps the dismissal" equals "$(ctl --json case matter "$C" | jq -c '[.dismissed != null, .dismissal_note]')" '[true,"notice of voluntary dismissal, Dkt. 45"]'
setclock "$(chicago '2027-04-08 09:00')"
check "... and no reminder fires for a later date" equals "$(n_deadlines "$C" pi_hearing)" 0

check "delistd stops cleanly" stop_daemon TERM
check "... exit 0" equals "$DAEMON_RC" 0
finish
