#!/bin/sh
# SPDX-License-Identifier: ISC
# digest.sh: the daily digest (digest.daily) on the test clock.
#
# Shop "main" (Asia/Shanghai, digest_at default 09:00) has one case in each
# interesting state: open, appealed (escalation due Friday 13 Nov: Tuesday
# 10 is a holiday, so 4 whole business days left at the first digest),
# manual review, reinstated with a sink that has not synced, and a dead
# delivery per case. Its digest comes at 09:00 local on business days only
# (not at 08:59:59, not on Saturday, Sunday or a configured holiday), once
# a day across a restart, and once when the daemon comes back after
# missing one; its JSON has the right counts and lists. Shop "eu"
# (Europe/Berlin, digest_at 08:30) gets its own at its own local time.
# The webhook (tests/fakes/fake_webhook) receives each digest.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/webhook.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

check "fake_webhook starts and writes its port" start_fake_webhook --timeout 600

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
flat() { awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'; }
all_events() {
	curl -sS --unix-socket "$SOCK" "http://localhost/v1/events?limit=100000"
}
squash() { tr -d ' \n'; }
digests() { all_events | flat | grep '"type": "digest.daily"' | grep -c "\"shop\": \"$1\""; }
digests_are() { [ "$(digests "$1")" = "$2" ]; }
hooks_are() { [ "$(grep -c "path=/erp .*event=digest.daily " "$HOOKLOG")" = "$1" ]; }
has_all() { all_events | flat | grep -q "\"type\": \"$1\""; }
dead_count() { [ "$(ctl --json outbox --dead | grep -c '"sink": "gone"')" = "$1" ]; }

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
calendar: { holidays = [ "2026-11-10" ]; };
rules: { max_appeals = 1; };
shops = ( { name = "main"; },
	  { name = "eu"; timezone = "Europe/Berlin"; digest_at = "08:30"; } );
plugins = (
	{ name = "erp"; module = "webhook"; url = "$URL/erp";
	  events = [ "digest.daily" ]; },
	{ name = "ads"; module = "webhook"; url = "http://127.0.0.1:1/ads";
	  events = [ "case.reinstated" ]; retry_base = "1h"; retry_cap = "1h";
	  max_attempts = 1000; timeout = "2s"; },
	{ name = "gone"; module = "webhook"; url = "http://127.0.0.1:1/gone";
	  events = [ "case.opened" ]; max_attempts = 1; timeout = "2s"; }
);
CONF

# Thursday 2026-11-05, Asia/Shanghai (UTC+8); Tuesday 10 Nov is a holiday.
DAY=86400
T0=1793836800       # Thu 08:00 local
T9=1793840400       # Thu 09:00 local
T_EU=1793863800     # Thu 08:30 Europe/Berlin = 15:30 Shanghai
P=10050012347000

run "$DELISTD" -t -c "$conf"
check "the config passes delistd -t" expect_rc 0
setclock $T0
check "delistd starts on the test clock" start_daemon "$conf"
printf 'We removed the banned words from the title.' > "$T/s.txt"
run ctl case open main ${P}01 --reason other
C1=$OUT
run ctl case open main ${P}02 --reason other
C2=$OUT
ctl case note "$C2" "fixed" >/dev/null
# Minimal statements: this test is not about the preflight (preflight.sh), so --force.
run ctl case appeal "$C2" --platform-case 5099000021 --statement "$T/s.txt" --force
check "case 2 is appealed" expect_rc 0
run ctl case open main ${P}03 --reason other
C3=$OUT
ctl case note "$C3" "fixed" >/dev/null
ctl case appeal "$C3" --platform-case 5099000031 --statement "$T/s.txt" --force >/dev/null
run ctl case decision "$C3" --rejected "no"
check "case 3 is in manual review" contains "$OUT" "state manual_review"
run ctl case open main ${P}04 --reason other
C4=$OUT
ctl case note "$C4" "fixed" >/dev/null
ctl case appeal "$C4" --platform-case 5099000041 --statement "$T/s.txt" --force >/dev/null
ctl case decision "$C4" --approved >/dev/null
run ctl case reinstated "$C4"
check "case 4 is reinstated, its sync pending" expect_rc 0
check "each case.opened died at the unreachable sink" wait_for 10 dead_count 4
# Vault documents: main's is valid 16 more days (through the 20th), eu's too,
# main's other until 2027.
printf '%%PDF-1.4\n%% soon\ntrailer << >>\n%%%%EOF\n' > "$T/AE${P}01_CE_soon.pdf"
printf '%%PDF-1.4\n%% eu\ntrailer << >>\n%%%%EOF\n' > "$T/AE${P}09_CE_eu.pdf"
printf '%%PDF-1.4\n%% later\ntrailer << >>\n%%%%EOF\n' > "$T/AE${P}01_FCC_later.pdf"
run ctl doc add "$T/AE${P}01_CE_soon.pdf" --type ce --shop main --products ${P}01 --expires 2026-11-20
D1=$OUT
check "a document of main valid 16 more days is added" expect_rc 0
ctl doc add "$T/AE${P}09_CE_eu.pdf" --type ce --shop eu --products ${P}09 --expires 2026-11-20 >/dev/null 2>&1
ctl doc add "$T/AE${P}01_FCC_later.pdf" --type fcc --shop main --products ${P}01 --expires 2027-06-01 >/dev/null 2>&1

setclock $((T9 - 1))
check "no digest at 08:59:59" digests_are main 0
setclock $T9
check "digest.daily for main at 09:00 Shanghai time" wait_for 5 digests_are main 1
doc=$(all_events | squash)
check "... with the counts by state, syncs, dead deliveries, documents" contains "$doc" '"counts":{"open_cases":4,"open":1,"rectifying":0,"appealed":1,"approved":0,"reinstated":1,"manual_review":1,"pending_syncs":1,"dead_deliveries":4,"documents_expiring":1,"ledgers_near_threshold":0,"listings_at_risk":0}'
check "... the shop, its local date and zone" contains "$doc" '"shop":"main","date":"2026-11-05","timezone":"Asia/Shanghai"'
check "... the appealed case with 4 business days left before escalation" contains "$doc" "\"appealed\":[{\"case\":$C2,"
check "... (its escalation)" contains "$doc" '"escalation":{"appeal":1,"tier":1,"after_business_days":5,"severity":"critical","due_at":"2026-11-13T00:00:00Z","business_days_left":4}'
check "... the manual review with no appeal left" contains "$doc" "\"manual_review\":[{\"case\":$C3,\"product_id\":\"${P}03\",\"title\":null,\"reason\":\"other\",\"opened_at\":\"2026-11-05T00:00:00Z\",\"appeals\":1,\"rejections\":1,\"appeals_left\":0"
check "... the open case with its one appeal left" contains "$doc" "\"open\":[{\"case\":$C1,\"product_id\":\"${P}01\",\"title\":null,\"reason\":\"other\",\"opened_at\":\"2026-11-05T00:00:00Z\",\"appeals\":0,\"rejections\":0,\"appeals_left\":1,\"escalation\":null"
check "... the pending sync, naming the sink that has not acknowledged" contains "$doc" "\"pending_syncs\":[{\"case\":$C4,\"product_id\":\"${P}04\",\"title\":null,\"reinstated_at\":\"2026-11-05T00:00:00Z\",\"pending\":[\"ads\"]}]"
check "... the dead deliveries" contains "$doc" '"dead_deliveries":[{"id":'
check "... and main's document expiring within 30 days, not eu's nor the 2027 one" contains "$doc" "\"documents_expiring\":[{\"document\":$D1,\"type\":\"ce\",\"name\":\"AE${P}01_CE_soon.pdf\",\"expires\":\"2026-11-20\",\"days_left\":16,\"products\":[\"${P}01\"]}],"
check "... and the warning that the calendar has no 2027 date yet" contains "$doc" '"warnings":[{"code":"calendar.uncovered","text":"thecalendarofshopmain(Asia/Shanghai)hasnoholidayormake-upworkdayin2027,whichbeginson2027-01-01'
check "... delivered to the webhook" wait_for 5 hooks_are 1
check "eu has no digest yet (08:30 Berlin is 15:30 here)" digests_are eu 0

check "the daemon stops after the digest" stop_daemon TERM
setclock $((T9 + 3600))
check "... and comes back at 10:00" start_daemon "$conf"
check "no second digest that day" digests_are main 1
setclock $((T_EU - 1))
check "no digest for eu at 08:29:59 Berlin time" digests_are eu 0
setclock $T_EU
check "digest.daily for eu at 08:30 Berlin time" wait_for 5 digests_are eu 1
check "... with its own zone and nothing open" contains "$(all_events | squash)" '"shop":"eu","date":"2026-11-05","timezone":"Europe/Berlin","counts":{"open_cases":0,'

setclock $((T9 + DAY))
check "Friday's digest" wait_for 5 digests_are main 2
setclock $((T9 + 2 * DAY))
check "none on Saturday" digests_are main 2
setclock $((T9 + 3 * DAY))
check "none on Sunday" digests_are main 2
setclock $((T9 + 4 * DAY))
check "Monday's digest" wait_for 5 digests_are main 3
setclock $((T9 + 5 * DAY))
check "none on Tuesday, a holiday" digests_are main 3
check "the daemon stops before Wednesday's digest" stop_daemon TERM
setclock $((T9 + 6 * DAY + 2 * 3600))
check "... and comes back at 11:00" start_daemon "$conf"
check "the missed digest comes once it is back" wait_for 5 digests_are main 4
check "... only once" digests_are main 4
all_hooked() { hooks_are $(($(digests main) + $(digests eu))); }
check "every digest of both shops reached the webhook" wait_for 5 all_hooked
check "the daemon stops" stop_daemon TERM
check "... cleanly" equals "$DAEMON_RC" 0

# --- configuration errors ------------------------------------------------
for v in '"9am"' '"24:00"' '"09:60"' '"9:00"' '9'; do
	write_config "$T/bad.conf" "shops = ( { name = \"main\"; digest_at = $v; } );"
	run "$DELISTD" -t -c "$T/bad.conf"
	check "digest_at = $v is refused (exit 1)" expect_rc 1
	check "... with file:line" sh -c 'printf "%s" "$1" | grep -q "bad.conf:[0-9]*: shops\[0\].digest_at: "' _ "$ERR"
done

finish
