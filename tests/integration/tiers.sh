#!/bin/sh
# SPDX-License-Identifier: ISC
# tiers.sh: escalation tiers (rules.escalation) on the test clock.
#
# Two tiers, a warning after 3 business days and a critical one after 5
# that also goes to a sink not subscribed to it (notify). Each fires once,
# on its business day and not the day before, dated at its deadline; a
# restart between them neither repeats nor loses one, and a tier that fell
# due while the daemon was down fires when it comes back. The deliveries
# go through tests/fakes/fake_webhook. Then the configuration errors:
# both escalation and escalate_after_business_days, a notify name that is
# no plugin instance, two tiers on the same day, an empty list.
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
events_of() { ctl --json events --case "$1" | flat; }
count() { events_of "$1" | grep -c "\"type\": \"$2\""; }
has_count() { [ "$(count "$1" "$2")" = "$3" ]; }
# hooks PATH EVENT: requests the fake got on PATH for EVENT.
hooks() { grep -c "path=$1 .*event=$2 " "$HOOKLOG" 2>/dev/null; }
hooks_are() { [ "$(hooks "$1" "$2")" = "$3" ]; }

conf=$T/delistd.conf
write_config "$conf" "
daemon: { plugin_dir = \"$PLUGIN_DIR\"; };
rules: {
	escalation = (
		{ after_business_days = 5; severity = \"critical\";
		  notify = [ \"boss\" ]; },
		{ after_business_days = 3; severity = \"warning\"; }
	);
};
shops = ( { name = \"main\"; } );
plugins = (
	{ name = \"ops\"; module = \"webhook\"; url = \"$URL/ops\";
	  events = [ \"case.escalated\" ]; min_severity = \"info\"; },
	{ name = \"crit\"; module = \"webhook\"; url = \"$URL/crit\";
	  events = [ \"case.escalated\" ]; min_severity = \"critical\"; },
	{ name = \"boss\"; module = \"webhook\"; url = \"$URL/boss\";
	  events = [ \"listing.delisted\" ]; }
);"
# write_config puts daemon first; a second daemon block is not allowed, so
# merge plugin_dir into it.
sed -i '/^daemon: { plugin_dir/d; s|^\tlog_level = "debug";|&\n\tplugin_dir = "'"$PLUGIN_DIR"'";|' "$conf"

# Shanghai (UTC+8), no holidays in November 2026:
#   T_APPEAL Mon 2026-11-02 10:00 local = 1793584800
#   tier 1 (3 business days): Thu 2026-11-05 10:00 = 1793844000
#   tier 2 (5 business days): Mon 2026-11-09 10:00 = 1794189600
#     (the business day before it is Fri 2026-11-06)
DAY=86400
T_APPEAL=1793584800
T_TIER1=1793844000
T_TIER2=1794189600
P1=1005001234500001

run "$DELISTD" -t -c "$conf"
check "a config with two escalation tiers passes delistd -t" expect_rc 0
setclock $((T_APPEAL - 3600))
check "delistd starts on the test clock" start_daemon "$conf"
run ctl case open main $P1 --reason prohibited_words
C1=$OUT
run ctl case note "$C1" "removed the absolute terms"
setclock $T_APPEAL
printf 'We removed the words best and No.1 from the title.' > "$T/s1.txt"
# Minimal statements: this test is not about the preflight (preflight.sh), so --force.
run ctl case appeal "$C1" --platform-case 5099000001 --statement "$T/s1.txt" --force
check "the appeal is recorded" expect_rc 0
run ctl --json case show "$C1"
check "escalation is due at the first tier, 3 business days on" contains "$OUT" '"escalate_due_at": "2026-11-05T02:00:00Z"'

setclock $((T_TIER1 - DAY))
check "no tier on the day before the first one" has_count "$C1" case.escalated 0
setclock $((T_TIER1 - 1))
check "no tier one second before it" has_count "$C1" case.escalated 0
setclock $T_TIER1
check "tier 1 fires on Thursday, 3 business days on" wait_for 5 has_count "$C1" case.escalated 1
ev=$(events_of "$C1" | grep '"type": "case.escalated"')
check "... as a warning" contains "$ev" '"severity": "warning"'
check "... dated at its deadline" contains "$ev" '"at": "2026-11-05T02:00:00Z"'
check "... saying which tier" sh -c 'printf "%s" "$1" | tr -d " " | grep -q "\"tier\":1,\"after_business_days\":3,\"severity\":\"warning\",\"tiers\":2"' _ "$ev"
check "... delivered to the info subscriber" wait_for 5 hooks_are /ops case.escalated 1
check "... not to the critical-only subscriber" hooks_are /crit case.escalated 0
check "... nor to the boss, who is named only by tier 2" hooks_are /boss case.escalated 0
run ctl --json case show "$C1"
check "the next escalation is tier 2's deadline" contains "$OUT" '"escalate_due_at": "2026-11-09T02:00:00Z"'

check "the daemon stops between the tiers" stop_daemon TERM
check "... and comes back" start_daemon "$conf"
check "tier 1 is not repeated after the restart" has_count "$C1" case.escalated 1
setclock $((T_TIER2 - 3 * DAY))
check "no tier 2 on Friday, the business day before it" has_count "$C1" case.escalated 1
setclock $((T_TIER2 - 1))
check "no tier 2 one second before it" has_count "$C1" case.escalated 1

# Down across tier 2's deadline: it fires once the daemon is back.
check "the daemon stops before tier 2" stop_daemon TERM
setclock $((T_TIER2 + 3600))
check "... and comes back an hour after tier 2's deadline" start_daemon "$conf"
check "tier 2 fires once the daemon is back" wait_for 5 has_count "$C1" case.escalated 2
ev=$(events_of "$C1" | grep '"type": "case.escalated"' | tail -n 1)
check "... as critical" contains "$ev" '"severity": "critical"'
check "... dated at its deadline" contains "$ev" '"at": "2026-11-09T02:00:00Z"'
check "... saying it is tier 2 of 2" sh -c 'printf "%s" "$1" | tr -d " " | grep -q "\"tier\":2,\"after_business_days\":5"' _ "$ev"
check "... telling to contact customer service" contains "$ev" "customer service"
check "tier 2 goes to the boss, named by the tier's notify" wait_for 5 hooks_are /boss case.escalated 1
check "... and to the critical subscriber" wait_for 5 hooks_are /crit case.escalated 1
check "... and to the info subscriber" wait_for 5 hooks_are /ops case.escalated 2
check "the daemon stops after tier 2" stop_daemon TERM
check "... and comes back" start_daemon "$conf"
setclock $((T_TIER2 + 3 * DAY))
check "no tier fires a second time" has_count "$C1" case.escalated 2
run ctl --json case show "$C1"
check "no escalation deadline is left" sh -c 'printf "%s" "$1" | tr -d " \n" | grep -q "\"deadlines\":{\"feedback_due_at\":[^,]*,\"escalate_due_at\":null"' _ "$OUT"
check "the critical tier opened a condition, reminded until acknowledged" sh -c 'printf "%s" "$1" | tr -d " \n" | grep -q "\"conditions\":\[{\"id\":1,\"type\":\"case.escalated\""' _ "$OUT"
check "the daemon stops" stop_daemon TERM
check "... cleanly" equals "$DAEMON_RC" 0

# --- a reload that adds a tier before the ones fired ----------------------
# Progress is kept as the days of the last tier fired, not a position in
# the list: tiers [3, 5], day 3 fires, reload with [1, 3, 5]: neither 1 nor
# 3 fires (again); 5 fires once on day 5.
rm -rf "$STATE"
tiers_conf() {
	write_config "$conf" "
rules: { escalation = ( $1 ); };
shops = ( { name = \"main\"; } );"
}
tiers_conf '{ after_business_days = 3; severity = "warning"; },
	{ after_business_days = 5; severity = "critical"; }'
setclock $((T_APPEAL - 3600))
check "delistd starts with tiers [3, 5]" start_daemon "$conf"
run ctl case open main $P1 --reason prohibited_words
C2=$OUT
run ctl case note "$C2" "removed the absolute terms"
setclock $T_APPEAL
run ctl case appeal "$C2" --platform-case 5099000002 --statement "$T/s1.txt" --force
setclock $T_TIER1
check "tier 3 fires on day 3" wait_for 5 has_count "$C2" case.escalated 1
tiers_conf '{ after_business_days = 1; severity = "warning"; },
	{ after_business_days = 3; severity = "warning"; },
	{ after_business_days = 5; severity = "critical"; }'
run ctl reload
check "reload with tiers [1, 3, 5]" expect_rc 0
run ctl --json case show "$C2"
check "... the next escalation is still day 5's" contains "$OUT" '"escalate_due_at": "2026-11-09T02:00:00Z"'
setclock $((T_TIER1 + 3600))
check "... neither tier 1 nor tier 3 fires after the reload" has_count "$C2" case.escalated 1
check "... nor after a restart" stop_daemon TERM
check "... (back)" start_daemon "$conf"
check "... (still one)" has_count "$C2" case.escalated 1
setclock $T_TIER2
check "tier 5 fires on day 5" wait_for 5 has_count "$C2" case.escalated 2
ev=$(events_of "$C2" | grep '"type": "case.escalated"' | tail -n 1)
check "... as tier 3 of 3, after 5 days" sh -c 'printf "%s" "$1" | tr -d " " | grep -q "\"tier\":3,\"after_business_days\":5,\"severity\":\"critical\",\"tiers\":3"' _ "$ev"
setclock $((T_TIER2 + 3 * DAY))
check "... and only once" has_count "$C2" case.escalated 2
check "the daemon stops" stop_daemon TERM

# --- configuration errors ------------------------------------------------
bad() {
	write_config "$T/bad.conf" "$1"
	run "$DELISTD" -t -c "$T/bad.conf"
}
bad 'rules: { escalate_after_business_days = 4;
	escalation = ( { after_business_days = 5; } ); };'
check "escalation and escalate_after_business_days together are refused" expect_rc 1
check "... saying to set one of them, with file:line" sh -c 'printf "%s" "$1" | grep -q "bad.conf:[0-9]*: rules.escalation: set either escalation or escalate_after_business_days"' _ "$ERR"
bad 'rules: { escalation = ( { after_business_days = 5; notify = [ "nobody" ]; } ); };'
check "a notify name that is no plugin instance is refused" expect_rc 1
check "... naming it, with file:line" sh -c 'printf "%s" "$1" | grep -q "bad.conf:[0-9]*: .*\"nobody\" is not a configured sink instance"' _ "$ERR"
bad 'rules: { escalation = ( { after_business_days = 3; }, { after_business_days = 3; severity = "warning"; } ); };'
check "two tiers on the same business day are refused" expect_rc 1
check "... saying so" contains "$ERR" "two tiers after 3 business days"
bad 'rules: { escalation = ( ); };'
check "an empty escalation list is refused" expect_rc 1
bad 'rules: { escalation = ( { severity = "warning"; } ); };'
check "a tier without after_business_days is refused" expect_rc 1
check "... saying what it needs" contains "$ERR" "a tier needs after_business_days"
bad 'rules: { escalation = ( { after_business_days = 3; severity = "loud"; } ); };'
check "a tier with an unknown severity is refused" expect_rc 1
check "... naming it" contains "$ERR" 'unknown severity "loud"'
bad 'rules: { escalation = ( { after_business_days = 3; colour = "red"; } ); };'
check "an unknown key in a tier is refused" expect_rc 1

finish
