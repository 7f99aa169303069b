#!/bin/sh
# SPDX-License-Identifier: ISC
# bulk.sh: working in bulk through delistctl, on the test clock.
#
# import of 3,000 listings (batched by delistctl, with its summary and the
# bad lines named file:line), untrack of all of them by --imported-at in
# one request with --dry-run first, and case ack, assign, classify and
# abandon on several IDs, --file (- for stdin) or a filter: one
# transaction, all or nothing (an unknown ID changes nothing and is
# named), one event per item in the trail.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP sqlite3 is missing"; exit 0; }

conf=$T/delistd.conf
write_config "$conf" '
shops = ( { name = "main"; timezone = "Asia/Shanghai"; }, { name = "eu"; timezone = "Europe/Berlin"; } );'

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK

# 2026-12-01T02:00:00Z, 10:00 in Shanghai; the next day at the same hour.
T1=1796090400
T2=$((T1 + 86400))
DB=$STATE/delistd.db
nev() { sqlite3 "$DB" "SELECT COUNT(*) FROM events WHERE type = '$1'"; }
# Tracked listings but the 2,500 of shop eu imported on a terminal.
ntracked() { sqlite3 "$DB" "SELECT COUNT(*) FROM listings WHERE tracked AND product_id NOT LIKE '10050071%'"; }

setclock $T1
check "delistd starts on the test clock" start_daemon "$conf"

# --- import of any size --------------------------------------------------
awk 'BEGIN { print "shop,product_id,title"; for (i = 1; i <= 3000; i++) printf "main,10050070%08d,Item %d\n", i, i }' > "$T/big.csv"
# A bad line far into the file: named with its line in the whole file.
awk 'NR == 2501 { print "main,12ab"; next } { print }' "$T/big.csv" > "$T/bad.csv"
run ctl import "$T/bad.csv"
check "a 3,000-line CSV with a bad line at 2,501 is refused" expect_rc 1
check "... naming the line of the whole file" contains "$ERR" "bad.csv:2501:"
check "... saying nothing was imported" contains "$ERR" "nothing imported"
check "... and nothing was: no batch before it was kept" equals "$(ntracked)" 0
run ctl import "$T/big.csv"
check "import takes 3,000 listings (in batches)" expect_rc 0
check "... and sums them up" contains "$OUT" "imported 3000 listings (3000 newly tracked); 0 already tracked, 0 refused"
check "... with no progress line when stderr is not a terminal" equals "$ERR" ""
check "... all 3,000 tracked" equals "$(ntracked)" 3000
# On a terminal (a pty), a progress line updated in place with \r.
awk 'BEGIN { for (i = 1; i <= 2500; i++) printf "eu,10050071%08d\n", i }' > "$T/tty.csv"
/usr/bin/python3 -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.write(repr(out))' "$DELISTCTL" -s "$SOCK" import "$T/tty.csv" > "$T/tty.out"
check "on a terminal import shows its progress, updated with \\r" contains "$(cat "$T/tty.out")" '\rimporting: 2000 of 2500 listings\rimporting: 2500 of 2500 listings'
check "... then its summary" contains "$(cat "$T/tty.out")" "imported 2500 listings (2500 newly tracked)"
# 1,000 lines then blank ones: the blank lines are no batch of their own.
{ awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "eu,100500719%07d\n", i }'; printf '\n\n\n'; } > "$T/blank.csv"
run ctl import "$T/blank.csv"
check "a file whose last batch would be blank lines imports" contains "$OUT" "imported 1000 listings (1000 newly tracked)"
head -n 3 "$T/big.csv" > "$T/again.csv"
printf 'main,1005008000000001,New one\n' >> "$T/again.csv"
run ctl import "$T/again.csv"
check "an import says what was already tracked" contains "$OUT" "imported 3 listings (1 newly tracked); 2 already tracked, 0 refused"

setclock $T2
run ctl track main 1005008000000002
run ctl track eu 1005008000000003
check "two more listings tracked the next day" equals "$(ntracked)" 3003

# --- bulk untrack by --imported-at ---------------------------------------
run ctl untrack --shop main --imported-at 2026-12-01 --dry-run
check "untrack --imported-at DATE --dry-run succeeds" expect_rc 0
check "... says what would change" contains "$OUT" "dry run: 3001 listing(s) would no longer be tracked; nothing changed"
check "... lists them" contains "$OUT" "1005007000003000"
check "... and changes nothing" equals "$(ntracked)" 3003
check "... nor writes the trail" equals "$(nev listing.untracked)" 0
t0=$(date +%s)
run ctl untrack --shop main --imported-at 2026-12-01
check "untrack --imported-at DATE untracks them in one request" expect_rc 0
check "... saying so" contains "$OUT" "3001 listing(s) no longer tracked"
check "... in reasonable time (<60 s)" sh -c '[ $(($(date +%s) - $1)) -lt 60 ]' _ "$t0"
check "... all of them, and only them" equals "$(ntracked)" 2
check "... one listing.untracked event each" equals "$(nev listing.untracked)" 3001
run ctl untrack --shop main --imported-at 2026-12-01 --dry-run
check "a filter that now matches nothing says so" contains "$OUT" "no listing matches; nothing changed"
run ctl untrack main 1005008000000002 1005009999999999
check "untrack of a listing not tracked among others fails" expect_rc 1
check "... naming it" contains "$ERR" "main/1005009999999999 is not tracked"
check "... and untracks nothing" equals "$(ntracked)" 2
printf 'main,1005008000000002\n# a comment\n\neu,1005008000000003\n' | ctl untrack --file - > "$T/out" 2>&1
check "untrack --file - reads SHOP,PRODUCT_ID lines from stdin" equals "$(ntracked)" 0
run ctl untrack --imported-at yesterday
check "a bad --imported-at is refused in one line" expect_rc 1
check "... saying what it takes" contains "$ERR" "give a date"
run ctl untrack --shop main 1005008000000002
check "listings and a filter together are refused" expect_rc 1

# --- bulk case verbs -----------------------------------------------------
run ctl track main 1005006000000001
run ctl track main 1005006000000002
run ctl track main 1005006000000003
run ctl track eu 1005006000000004
C1=$(ctl case open main 1005006000000001 --reason prohibited_words)
C2=$(ctl case open main 1005006000000002 --reason prohibited_words)
C3=$(ctl case open main 1005006000000003 --reason false_info)
C4=$(ctl case open eu 1005006000000004 --reason prohibited_words)
check "four cases open" test -n "$C4"

run ctl case ack "$C1" "$C2" 999999 --comment "on it"
check "a bulk ack with an unknown ID fails" expect_rc 1
check "... naming the unknown ID" contains "$ERR" "case 999999 not found"
check "... saying nothing changed" contains "$ERR" "nothing was changed"
check "... and acknowledges none" equals "$(nev case.acknowledged)" 0
run ctl case ack "$C1" "$C2" 999999 --dry-run
check "the same with --dry-run names the unknown ID too" contains "$ERR" "case 999999 not found"
check "... exits 1" expect_rc 1
check "... and shows what would change" contains "$OUT" "dry run: 2 case(s) would be taken on"
run ctl case ack "$C1" "$C2" "$C3" --comment "on it"
check "a bulk ack of three cases succeeds" expect_rc 0
check "... one case.acknowledged each" equals "$(nev case.acknowledged)" 3
check "... shown in a table" contains "$OUT" "1005006000000003"

run ctl case classify --shop main --reason prohibited_words --dry-run not_as_described
check "classify by a filter, dry run" expect_rc 0
check "... shows the two cases it would classify" contains "$OUT" "dry run: 2 case(s) would be classified"
check "... changes nothing" equals "$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases WHERE reason = 'not_as_described'")" 0
run ctl case classify --shop main --reason prohibited_words not_as_described
check "classify by a filter" expect_rc 0
check "... classifies the two cases of the shop with that reason" equals "$(sqlite3 "$DB" "SELECT COUNT(*) FROM cases WHERE reason = 'not_as_described'")" 2
check "... and not the other shop's" equals "$(sqlite3 "$DB" "SELECT reason FROM cases WHERE id = $C4")" prohibited_words

printf 'alice-pw-123456\n' > "$T/pw"
check "a console user" ctl user add alice --role operator --password-file "$T/pw"
printf '%s\n%s\n' "$C3" "$C4" > "$T/ids"
run ctl case assign --file "$T/ids" nosuchuser
check "assign to an unknown user from --file fails" expect_rc 1
check "... and assigns none" equals "$(nev case.assigned)" 0
run ctl case assign --file "$T/ids" alice
check "assign --file FILE USER" expect_rc 0
check "... assigns both" equals "$(nev case.assigned)" 2
printf '%s\nnot-an-id\n' "$C3" > "$T/badids"
run ctl case assign --file "$T/badids" --none
check "a bad ID in --file is named file:line" contains "$ERR" "badids:2: bad case ID"

setclock $((T2 + 10 * 86400))
run ctl case abandon --older-than 5d --state open --shop main
check "abandon by --older-than" expect_rc 0
check "... abandons the three old cases of main" equals "$(nev case.abandoned)" 3
run ctl case abandon "$C1" "$C4" --relisted-as 1005006000000009
check "--relisted-as with several cases is refused" expect_rc 1
run ctl case abandon --state nosuch
check "an unknown state is refused" contains "$ERR" "unknown case state"
run ctl case ack --shop main --reason tro
check "a filter matching nothing changes nothing" contains "$OUT" "no case matches"

run ctl --json case ack "$C4" --dry-run
check "--json prints the daemon's answer" contains "$OUT" '"dry_run": true'

# --- a dry run changes nothing, the timers included --------------------------
# An escalated appeal is reminded of 24 business hours later; a dry-run ack
# of its case (which would stop the reminders) is rolled back, and the
# reminder still comes. Mon 2026-12-14 10:00 Shanghai: the appeal; Mon 21
# 10:00 its escalation; Tue 22 10:00 the reminder.
T_APPEAL=1797213600
T_E=$((T_APPEAL + 7 * 86400))
setclock $T_APPEAL
run ctl track main 1005006000000010
C5=$(ctl case open main 1005006000000010 --reason prohibited_words)
ctl case note "$C5" "removed the absolute terms" >/dev/null
printf 'We removed the words best and No.1 from the title.' > "$T/s1.txt"
run ctl case appeal "$C5" --platform-case 5099000011 --statement "$T/s1.txt" --force
check "an appeal is recorded" expect_rc 0
setclock $T_E
escalated() { [ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM events WHERE case_id = $C5 AND type = '$1'")" -ge 1 ]; }
check "it escalates five business days later" wait_for 10 escalated case.escalated
run ctl case ack "$C5" --dry-run
check "case ack ID --dry-run" contains "$OUT" "dry run: 1 case(s) would be taken on"
check "... writes no case.acknowledged" equals "$(nev case.acknowledged)" 3
setclock $((T_E + 86400))
check "... and the escalation's reminder still comes 24 business hours later" wait_for 10 escalated case.escalated.reminder

finish
