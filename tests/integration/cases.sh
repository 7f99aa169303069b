#!/bin/sh
# SPDX-License-Identifier: ISC
# cases.sh: the case lifecycle through delistctl, on the test clock.
#
# One listing's whole story (open, rectify, appeal, the 72-hour reminder,
# escalation after 5 business days with a holiday week inside them, three
# rejections, manual review), a second case reinstated by hand, a third
# abandoned, a restart in the middle with no lost or repeated reminder, the
# export, events --follow, and the bad input each command must refuse.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

conf=$T/delistd.conf
# Golden Week: 1-7 October 2026 are holidays, Saturday 10 October a make-up
# working day (Asia/Shanghai, the default zone).
write_config "$conf" '
calendar: {
	holidays = [ "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
	    "2026-10-05", "2026-10-06", "2026-10-07" ];
	workdays = [ "2026-10-10" ];
};
shops = ( { name = "main"; } );'

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK

P1=1005001234567890
P2=1005009876543210
P3=1005005555555555
PCASE=5012345678

# events_of ID: the case's events from --json, one line per event (the
# pretty-printed list joined, then split between its objects).
events_of() {
	ctl --json events --case "$1" |
	    awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'
}
count() { events_of "$1" | grep -c "\"type\": \"$2\""; }
has_count() { [ "$(count "$1" "$2")" = "$3" ]; }
event_of() { events_of "$1" | grep "\"type\": \"$2\""; }
one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] || { echo "not one line: $1"; return 1; }; }
fits_100() { printf '%s\n' "$1" | awk 'length > 100 { print "too wide: " $0; bad = 1 } END { exit bad }'; }

# The story's instants, UTC epoch seconds (checked by hand; Shanghai is
# UTC+8 all year):
#   T_OPEN   2026-09-28T01:00:00Z  Mon 09:00 local    1790557200
#   T_APPEAL 2026-09-29T02:00:00Z  Tue 10:00 local    1790647200
#   feedback T_APPEAL + 72 h = 2026-10-02T02:00:00Z   1790647200 + 259200 = 1790906400
#   escalation: 5 business days from Tue 29 Sep 10:00: Wed 30 Sep (1),
#     1-7 Oct holidays, Thu 8 (2), Fri 9 (3), Sat 10 make-up (4), Sun 11
#     weekend, Mon 12 (5): 2026-10-12T10:00+08:00 = 2026-10-12T02:00:00Z
#     = T_APPEAL + 13 days = 1790647200 + 1123200 = 1791770400.
#     Without the holidays it would be Tue 6 Oct (1791252000).
T_OPEN=1790557200
T_APPEAL=1790647200
T_FEEDBACK=1790906400
T_NAIVE=1791252000
T_DAY_BEFORE=1791684000
T_ESCALATE=1791770400
DAY=86400

setclock $T_OPEN
check "delistd starts on the test clock" start_daemon "$conf"

# --- tracking ---------------------------------------------------------
run ctl track main $P1 --title "LED strip 5m warm white" --interval 30m
check "track SHOP PRODUCT_ID succeeds" expect_rc 0
check "... and says what it tracks" contains "$OUT" "tracking main/$P1"
run ctl listings
check "listings shows the tracked listing" contains "$OUT" "$P1"
check "... under a heading" contains "$OUT" "PRODUCT ID"
run ctl --json listings --shop main
check "listings --json --shop is the daemon's JSON" contains "$OUT" "\"product_id\": \"$P1\""
run ctl track main 12ab34
check "track refuses a product ID that is not digits (exit 1)" expect_rc 1
check "... in one line" one_line "$ERR"
run ctl track nosuchshop $P1
check "track refuses an unknown shop (exit 1)" expect_rc 1

# --- case 1: open, rectify ---------------------------------------------
run ctl case open main $P1 --reason prohibited_words --rule "3.2 absolute terms in the title"
check "case open prints the new case's id" sh -c '[ "$1" = 0 ] && expr "$2" : "[0-9][0-9]*\$" >/dev/null' _ "$RC" "$OUT"
C1=$OUT
run ctl --json case show "$C1"
check "the case is open, with its reason and rule" sh -c 'case "$1" in *"\"state\": \"open\""*"\"reason\": \"prohibited_words\""*) ;; *) exit 1;; esac' _ "$OUT"
check "... opened now, by the test clock" contains "$OUT" '"opened_at": "2026-09-28T01:00:00Z"'
run ctl cases
check "cases lists it" sh -c 'printf "%s\n" "$1" | grep -q "^$2 .*main .*$3 .*open .*prohibited_words"' _ "$OUT" "$C1" "$P1"

run ctl case note "$C1" "removed the absolute terms from the title" --field title --before "Best quality LED strip No.1" --after "LED strip 5m warm white"
check "case note records a rectification" expect_rc 0
check "... and the case is rectifying" contains "$OUT" "state rectifying"
run ctl case note "$C1" "replaced the watermarked main image" --field main_image --before "img/main-watermark.jpg" --after "img/main-clean.jpg"
check "a second rectification" expect_rc 0

# --- appeal 1, restart, the 72-hour reminder ---------------------------
setclock $T_APPEAL
printf '%s' "In the title we removed the absolute terms best quality and No.1 (words 1-2 and 6 of the old title); the new title is LED strip 5m warm white. The main image no longer carries a third-party watermark." > "$T/s1.txt"
printf 'CE certificate for model LS-5M\n' > "$T/AE${P1}_CE_Certificate.pdf"
sha_ce=$(sha256sum "$T/AE${P1}_CE_Certificate.pdf" | cut -d' ' -f1)
size_ce=$(wc -c < "$T/AE${P1}_CE_Certificate.pdf" | tr -d ' ')
run ctl case appeal "$C1" --platform-case $PCASE --statement "$T/s1.txt" --attach "ce:$T/AE${P1}_CE_Certificate.pdf"
check "case appeal records appeal 1" expect_rc 0
check "... naming the platform Case ID" contains "$OUT" "appeal 1 recorded (platform case $PCASE)"
run ctl --json case show "$C1"
check "the appeal's material carries its SHA-256, type and size" sh -c 'case "$1" in *"\"sha256\": \"$2\""*) ;; *) exit 1;; esac && printf "%s\n" "$1" | grep -q "\"type\": \"ce\"" && printf "%s\n" "$1" | grep -q "\"size\": $3"' _ "$OUT" "$sha_ce" "$size_ce"
check "feedback is due 72 hours after submission" contains "$OUT" '"feedback_due_at": "2026-10-02T02:00:00Z"'
check "escalation is due after 5 business days, the holidays skipped" contains "$OUT" '"escalate_due_at": "2026-10-12T02:00:00Z"'
run ctl case show "$C1"
check "case show has the header, appeals, deadlines and trail" sh -c 'case "$1" in *"case $2: main/$3"*"state     appealed"*"reason    prohibited_words"*"appeals"*"$4"*"deadlines"*"feedback due    2026-10-02 10:00 CST (Asia/Shanghai)"*"escalation due  2026-10-12 10:00 CST (Asia/Shanghai)"*"trail"*"case.note"*) ;; *) exit 1;; esac' _ "$OUT" "$C1" "$P1" "$PCASE"
check "... in 100 columns" fits_100 "$OUT"

check "the daemon stops between appeal and reminder" stop_daemon TERM
check "... and comes back" start_daemon "$conf"
setclock $((T_FEEDBACK - 1))
check "no feedback reminder one second before 72 hours" has_count "$C1" case.feedback_overdue 0
setclock $T_FEEDBACK
check "case.feedback_overdue fires at 72 hours, after the restart" wait_for 5 has_count "$C1" case.feedback_overdue 1
ev=$(event_of "$C1" case.feedback_overdue)
check "... as a warning" contains "$ev" '"severity": "warning"'
check "... dated at the deadline" contains "$ev" '"at": "2026-10-02T02:00:00Z"'
check "the daemon stops after the reminder" stop_daemon TERM
check "... and comes back" start_daemon "$conf"

# --- escalation on the right day ----------------------------------------
setclock $T_NAIVE
check "no escalation on 6 Oct, where 5 days without holidays would end" has_count "$C1" case.escalated 0
setclock $T_DAY_BEFORE
check "no escalation on the day before the deadline" has_count "$C1" case.escalated 0
setclock $((T_ESCALATE - 1))
check "no escalation one second before the deadline" has_count "$C1" case.escalated 0
setclock $T_ESCALATE
check "case.escalated fires on Monday 12 Oct" wait_for 5 has_count "$C1" case.escalated 1
ev=$(event_of "$C1" case.escalated)
check "... as critical" contains "$ev" '"severity": "critical"'
check "... dated at the deadline" contains "$ev" '"at": "2026-10-12T02:00:00Z"'
check "... its message names the platform Case ID" sh -c 'printf "%s\n" "$1" | grep -q "\"message\": \"[^\"]*$2"' _ "$ev" "$PCASE"
check "... and says to contact customer service" contains "$ev" "customer service"
check "the feedback reminder still fired once in all" has_count "$C1" case.feedback_overdue 1

# --- rejected; second appeal --------------------------------------------
run ctl case decision "$C1" --rejected "the statement does not show where the title changed"
check "case decision --rejected records the rejection" expect_rc 0
check "... and the case goes back to rectifying" contains "$OUT" "appeal 1 rejected, state rectifying"
setclock $((T_ESCALATE + DAY))
printf 'Test report LS-5M\n' > "$T/AE${P1}_TestReport.pdf"
sha_tr=$(sha256sum "$T/AE${P1}_TestReport.pdf" | cut -d' ' -f1)
run ctl case appeal "$C1" --platform-case $PCASE --statement "$T/s1.txt" --attach "test_report:$T/AE${P1}_TestReport.pdf"
check "a second appeal with the same statement is refused (exit 1)" expect_rc 1
check "... saying --force would override it" contains "$ERR" "(use --force to override)"
check "... in one line" one_line "$ERR"
stmt=$(cat "$T/s1.txt")
api POST "/v1/cases/$C1/appeals" -H 'Content-Type: application/json' -d "{\"platform_case_id\":\"$PCASE\",\"statement\":\"$stmt\",\"materials\":[]}"
check "... the API answers 409, forceable" sh -c '[ "$1" = 409 ] && printf "%s" "$2" | grep -Eq "\"forceable\": *true"' _ "$HTTP" "$BODY"
printf '%s' "Title: removed best quality (words 1-2) and No.1 (word 6); see the address bar of the attached before/after screenshots. Image: the watermark is gone from the main image. Test report attached for model LS-5M." > "$T/s2.txt"
run ctl case appeal "$C1" --platform-case $PCASE --statement "$T/s2.txt" --attach "test_report:$T/AE${P1}_TestReport.pdf" --attach "ce:$T/AE${P1}_CE_Certificate.pdf"
check "a second appeal with a changed statement and materials is accepted" contains "$OUT" "appeal 2 recorded"
setclock $((T_ESCALATE + 2 * DAY))
run ctl case decision "$C1" --rejected "screenshots do not show the address bar"
check "the second appeal is rejected" contains "$OUT" "appeal 2 rejected, state rectifying"

# --- third appeal, third rejection: manual review ------------------------
printf 'screenshot before/after with address bar\n' > "$T/screens.jpg"
sha_sc=$(sha256sum "$T/screens.jpg" | cut -d' ' -f1)
printf '%s' "Screenshots now include the address bar: the title on the live page is LED strip 5m warm white, without best quality or No.1; the main image has no watermark." > "$T/s3.txt"
run ctl case appeal "$C1" --platform-case 5012345999 --statement "$T/s3.txt" --attach "$T/screens.jpg" --attach "test_report:$T/AE${P1}_TestReport.pdf"
check "a third appeal is accepted" contains "$OUT" "appeal 3 recorded (platform case 5012345999)"
run ctl --json case show "$C1"
check "an attachment without a TYPE: prefix is of type other" sh -c 'printf "%s\n" "$1" | grep -q "\"name\": \"screens.jpg\"" && printf "%s\n" "$1" | grep -q "\"type\": \"other\""' _ "$OUT"
setclock $((T_ESCALATE + 3 * DAY))
run ctl case decision "$C1" --rejected "manual re-review required"
check "the third rejection moves the case to manual_review" contains "$OUT" "appeal 3 rejected, state manual_review"
check "case.manual_review is raised once" wait_for 5 has_count "$C1" case.manual_review 1
check "... as critical" contains "$(event_of "$C1" case.manual_review)" '"severity": "critical"'
run ctl cases --state manual_review
check "cases --state manual_review lists the case" contains "$OUT" "$P1"
run ctl case appeal "$C1" --platform-case $PCASE --statement "$T/s2.txt"
check "an appeal in manual review is refused: illegal transition (exit 1)" expect_rc 1
check "... with the daemon's reason, not forceable" sh -c 'case "$1" in "delistctl: "*"use --force"*) exit 1;; "delistctl: "?*) ;; *) exit 1;; esac' _ "$ERR"
run ctl case decision "$C1" --approved
check "the platform's manual re-review decision is recorded on the last appeal" contains "$OUT" "appeal 3 approved, state approved"
check "... with its own event" contains "$(event_of "$C1" case.approved)" "manual re-review of appeal 3"
run ctl case decision "$C1" --approved
check "a second decision with no appeal pending is refused (exit 1)" expect_rc 1
check "... saying so" contains "$ERR" "case $C1 has no appeal awaiting a decision"

# --- the export ----------------------------------------------------------
run ctl case export "$C1"
check "case export (md) succeeds" expect_rc 0
md=$OUT
for s in "Best quality LED strip No.1" "LED strip 5m warm white" "img/main-watermark.jpg" "img/main-clean.jpg" \
    "$sha_ce" "$sha_tr" "$sha_sc" "$PCASE" "5012345999" \
    "the statement does not show where the title changed" "screenshots do not show the address bar" \
    "manual re-review required" "2026-09-29" "Asia/Shanghai"; do
	check "the md export has \"$s\"" contains "$md" "$s"
done
check "the md export gives the appeal time in UTC and in the shop's zone" sh -c 'printf "%s\n" "$1" | grep "2026-09-29" | grep -q "02:00" && printf "%s\n" "$1" | grep "2026-09-29" | grep -q "10:00"' _ "$md"
run ctl case export "$C1" --format json
check "case export --format json is the dossier" sh -c 'case "$1" in *"\"case\""*"\"generated_at\""*) ;; *) exit 1;; esac' _ "$OUT"
for s in '"timezone": "Asia/Shanghai"' "\"sha256\": \"$sha_ce\"" "\"sha256\": \"$sha_tr\"" "\"sha256\": \"$sha_sc\"" \
    '"before": "Best quality LED strip No.1"' '"after": "LED strip 5m warm white"' '"decision": "rejected"' \
    '"submitted_at": "2026-09-29T02:00:00Z"' '"submitted_at_local": "2026-09-29T10:00:00+08:00"' '"statement_sha256"'; do
	check "the json export has $s" contains "$OUT" "$s"
done
run ctl --json case export "$C1"
check "--json case export gives the JSON dossier" contains "$OUT" '"generated_at"'

# --- case 2: reinstated by hand, --force ---------------------------------
run ctl case open main $P2 --reason missing_certification --at "2026-10-14T09:00:00+08:00"
C2=$OUT
check "case open --at with an offset" expect_rc 0
run ctl --json case show "$C2"
check "... is stored in UTC" contains "$OUT" '"opened_at": "2026-10-14T01:00:00Z"'
run ctl case note "$C2" "uploaded the CE certificate"
printf '%s' "We uploaded the CE certificate for model LS-5M of this product to the qualification centre; the certificate names the product and is valid until 2028, see the attached scan." > "$T/c2.txt"
printf 'CE certificate LS-5M, scan\n' > "$T/AE${P2}_CE_Certificate.pdf"
run ctl case appeal "$C2" --platform-case 5020000001 --statement "$T/c2.txt" --attach "ce:$T/AE${P2}_CE_Certificate.pdf"
check "case 2 is appealed" contains "$OUT" "appeal 1 recorded"
run ctl case decision "$C2" --rejected "certificate unreadable"
run ctl case appeal "$C2" --platform-case 5020000002 --statement "$T/c2.txt" --attach "ce:$T/AE${P2}_CE_Certificate.pdf" --force
check "--force overrides a forceable refusal" expect_rc 0
check "... and says what it overrode" contains "$OUT" "overridden with --force: same_statement"
run ctl case decision "$C2" --approved
check "case decision --approved" contains "$OUT" "appeal 2 approved, state approved"
run ctl case reinstated "$C2"
check "case reinstated records the reinstatement" expect_rc 0
check "... and says so" contains "$OUT" "case $C2: reinstatement recorded"
check "... with the event case.reinstated" has_count "$C2" case.reinstated 1

# --- case 3: abandoned; illegal transitions ------------------------------
run ctl case open main $P3 --reason duplicate_listing
C3=$OUT
run ctl case abandon "$C3" --why "$(printf 'x%.0s' $(seq 1 16385))"
check "case abandon --why longer than 16 KiB is refused (exit 1)" expect_rc 1
run ctl case abandon "$C3" --relisted-as 1005005555555556 --why "supplier gone; relisted"
check "case abandon --relisted-as" contains "$OUT" "abandoned, relisted as 1005005555555556"
run ctl --json events --case "$C3"
check "... the reason in the case.abandoned event's message and data" sh -c '
	printf "%s" "$1" | jq -e "[.events[] | select(.type == \"case.abandoned\")] | length == 1 and
	    (.[0].message | endswith(\": supplier gone; relisted\")) and .[0].data.reason == \"supplier gone; relisted\""' _ "$OUT"
run ctl case note "$C3" "too late"
check "a note on an abandoned case is refused (exit 1)" expect_rc 1
check "... with the daemon's one-line reason" sh -c 'case "$1" in "delistctl: "?*) ;; *) exit 1;; esac' _ "$ERR"
api POST "/v1/cases/$C3/notes" -H 'Content-Type: application/json' -d '{"text":"too late"}'
check "... which the API answers with 409" equals "$HTTP" 409

# --- events ----------------------------------------------------------------
run ctl events --case "$C1"
check "events --case shows the trail as a table" sh -c 'case "$1" in *"ID"*"TIME"*"SEVERITY"*"TYPE"*"case.opened"*"case.escalated"*) ;; *) exit 1;; esac' _ "$OUT"
check "... in 100 columns" fits_100 "$OUT"
run ctl events
check "events without --case lists every case's events" sh -c 'case "$1" in *"case.reinstated"*) ;; *) exit 1;; esac && case "$1" in *"case.abandoned"*) ;; *) exit 1;; esac' _ "$OUT"

clients_2() { ctl --json status | grep -Eq '"clients": 2([^0-9]|$)'; }
"$DELISTCTL" -s "$SOCK" events --follow > "$T/follow.out" 2>&1 &
fpid=$!
"$DELISTCTL" -s "$SOCK" --json events --follow --case "$C1" > "$T/follow.json" 2>&1 &
fjpid=$!
clients_3() { ctl --json status | grep -Eq '"clients": 3([^0-9]|$)'; }
check "events --follow connects" wait_for 5 clients_3
run ctl case note "$C1" "asked customer service for a progress number"
check "events --follow prints a new event within seconds" wait_for 3 grep -q "case.note" "$T/follow.out"
check "... as a line for people" grep -q "^2026-10-1.*info .*case $C1 .*case.note .*asked customer service" "$T/follow.out"
check "... and nothing from before it started" sh -c '! grep -q "case.opened" "$1"' _ "$T/follow.out"
check "--json events --follow prints the event's JSON line" wait_for 3 grep -q '^{.*"case.note".*asked customer service' "$T/follow.json"
run ctl case open main 1005004444444444 --reason other
check "events --follow sees every case" wait_for 3 grep -q "case.opened" "$T/follow.out"
kill "$fpid" "$fjpid" 2>/dev/null
wait "$fpid" 2>/dev/null
wait "$fjpid" 2>/dev/null
check "events --follow --case shows only that case" sh -c '! grep -q "case.opened" "$1"' _ "$T/follow.json"

# --- bad input ---------------------------------------------------------------
run ctl case show 999999
check "an unknown case id exits 1" expect_rc 1
check "... saying not found" contains "$ERR" "not found"
run ctl case show twelve
check "a case id that is not a number exits 1" expect_rc 1
run ctl case open main 12ab34 --reason other
check "a product ID that is not digits is refused (exit 1)" expect_rc 1
check "... in one line" one_line "$ERR"
run ctl case open main $P1 --reason other
check "a second open case for a listing is refused (exit 1)" expect_rc 1
check "... naming the open case" contains "$ERR" "$C1"
api POST /v1/cases -H 'Content-Type: application/json' -d "{\"shop\":\"main\",\"product_id\":\"$P1\",\"reason\":\"other\"}"
check "... with 409 and the case in the error" sh -c '[ "$1" = 409 ] && printf "%s" "$2" | grep -Eq "\"case\": *$3([^0-9]|\$)"' _ "$HTTP" "$BODY" "$C1"
run ctl case open main 1005001111111111 --reason counterfeit
check "an unknown reason is refused (exit 1)" expect_rc 1
check "... with the list of reasons" sh -c 'case "$1" in *ip_infringement*prohibited_words*spot_check*) ;; *) exit 1;; esac' _ "$ERR"
run ctl case open main 1005001111111111
check "case open without --reason is a usage error (exit 2)" expect_rc 2
check "... showing the usage" contains "$ERR" "usage: delistctl case open SHOP PRODUCT_ID --reason REASON"
run ctl case note "$C2" "at yesterday" --at yesterday
check "--at that is not a time is refused (exit 1)" expect_rc 1
check "... in one line" one_line "$ERR"
run ctl case note "$C2" "in the future" --at 2030-01-01T00:00:00Z
check "--at beyond the clock is refused (exit 1)" expect_rc 1
check "neither note was recorded" sh -c '! ctl --json events --case "$1" | grep -q -e "at yesterday" -e "in the future"' _ "$C2"
run ctl case appeal "$C2" --platform-case 1 --statement "$T/missing.txt"
check "a missing statement file exits 1" expect_rc 1
check "... naming it" contains "$ERR" "cannot read statement $T/missing.txt"
printf '\377\376' > "$T/utf16.txt"
run ctl case appeal "$C2" --platform-case 1 --statement "$T/utf16.txt"
check "a statement that is not UTF-8 exits 1" expect_rc 1
check "... saying where" contains "$ERR" "statement $T/utf16.txt is not UTF-8 (first bad byte at offset 0)"
run ctl case appeal "$C2" --platform-case 1 --statement "$T/s3.txt" --attach "ce:$T/missing.pdf"
check "a missing attachment exits 1 before sending anything" sh -c '[ "$1" = 1 ] && case "$2" in *"cannot read attachment $3/missing.pdf"*) ;; *) exit 1;; esac' _ "$RC" "$ERR" "$T"
run ctl case appeal "$C2" --statement "$T/s3.txt"
check "case appeal without --platform-case is a usage error (exit 2)" expect_rc 2
run ctl case decision "$C2"
check "case decision without --approved or --rejected is a usage error" expect_rc 2
run ctl case frobnicate 1
check "an unknown case verb exits 2" expect_rc 2
run ctl cases --bogus
check "an unknown option exits 2" expect_rc 2
run ctl help
check "help lists the case commands" sh -c 'case "$1" in *"track SHOP PRODUCT_ID"*"untrack"*"listings"*"cases"*"case show ID"*"case appeal ID"*"events [--case ID] [--follow]"*) ;; *) exit 1;; esac' _ "$OUT"
run ctl case help
check "case help lists every case verb with its usage" sh -c 'case "$1" in *"case show ID"*"case open"*"case note"*"case appeal"*"case decision"*"case reinstated"*"case abandon"*"case export"*) ;; *) exit 1;; esac' _ "$OUT"

# --- untrack -----------------------------------------------------------------
run ctl untrack main $P1
check "untrack stops tracking" expect_rc 0
run ctl listings
check "... and the listing is no longer tracked" sh -c '! printf "%s\n" "$1" | grep "$2" | grep -q " yes "' _ "$OUT" "$P1"
run ctl untrack main 1005000000000009
check "untrack of an unknown listing exits 1" expect_rc 1

# --- a year typo, a relisting under the same ID, paragraphs in a dossier --
run ctl case open main 1005009999999999 --reason other --at 2024-10-01T10:00:00+08:00
check "--at more than a year ago is refused (a year typo)" sh -c '[ "$1" = 1 ] && case "$2" in *"more than a year ago: check the year"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
C9=$(ctl case open main 1005009999999999 --reason prohibited_words)
run ctl case abandon "$C9" --relisted-as 1005009999999999
check "--relisted-as the case's own product ID is refused" sh -c '[ "$1" = 1 ] && case "$2" in *"this case'"'"'s own product ID"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
ctl case note "$C9" "removed No.1 from the title" >/dev/null
printf 'First paragraph: we removed No.1 from the title of this listing.\n\nSecond paragraph: the main image no longer claims to be number one either.\n' > "$T/para.txt"
ctl case appeal "$C9" --platform-case 5019999999 --statement "$T/para.txt" >/dev/null
run ctl case export "$C9"
check "the dossier keeps a statement's paragraphs" sh -c 'printf "%s\n" "$1" | grep -A2 "^> First paragraph" | sed -n 2p | grep -qx ">"' _ "$OUT"

stop_daemon TERM
check "delistd stops cleanly at the end" equals "$DAEMON_RC" 0
finish
