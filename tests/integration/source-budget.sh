#!/bin/sh
# SPDX-License-Identifier: ISC
# source-budget.sh: the call budget of a source, through the real delistd,
# the aliexpress plugin and tests/fakes/fake_aliexpress (which counts and
# limits calls itself: --qps per wall-clock second, --daily-quota per
# Beijing day of the test clock).
#
# Covered: the fake never sees more calls a second than rate (plus one a
# call delayed on its way may bring), and its own limit never throttles the
# daemon; a throttle ban
# is waited out (one refused call, then the checks go on); the platform's
# daily quota stops the calls, raises source.quota_exhausted once, and
# they resume after 00:00 Beijing time with source.recovered; the daemon's
# own daily_quota stops it before the platform has to, and its count
# survives a restart; raising daily_quota (restart or reload) lifts that
# stop at once; a plan that does not fit the quota is logged with
# its numbers and shown by delistctl status; healthy listings spend the
# quota evenly over the day.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_aliexpress
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/aliexpress.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1796004000 # 2026-11-30T02:00:00Z, 10:00 in Beijing
MIDNIGHT=1796054400 # 2026-12-01T00:00:00+08:00
echo $NOW > "$T/clock"
clock_is() { ctl --json status | jq -e ".now == $1" >/dev/null; }
tick() {
	NOW=$((NOW + $1))
	echo "$NOW" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	[ -z "$DAEMON_PID" ] || wait_for 5 clock_is "$NOW"
}

APPKEY=34567891
SECRET=ae-Secret-b07d11
TOKEN=ae-Token-e2c940
printf '%s\n' "$SECRET" > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"

check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret" \
    --qps 3 --daily-quota 30

calls() { stat_of .calls; }
calls_over() { [ "$(calls)" -gt "$1" ]; }
n_events() { ctl --json events | jq "[.events[] | select(.type == \"$1\")] | length"; }
has_event() { [ "$(n_events "$1")" -ge 1 ]; }
src() { ctl --json status | jq -r ".sources[0].$1"; }
src_is() { [ "$(src "$1")" = "$2" ]; }
checked() { [ "$(ctl --json listings | jq '[.listings[] | select(.status == "on_sale")] | length')" -ge "$1" ]; }

# Twelve listings on sale, tracked from a CSV.
: > "$T/list.csv"
i=10
while [ $i -lt 22 ]; do
	echo "main,10050080000000$i" >> "$T/list.csv"
	curl -sS -o /dev/null -X POST -d "{\"product_id\":\"10050080000000$i\",\"status\":\"onSelling\"}" "$AE/_fake/product"
	i=$((i + 1))
done

write_conf() {
	cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "10m";
	    recheck_interval = "10m"; confirm_spacing = "1m"; snapshot_url = ""; } );
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  rate = 2; burst = 1; daily_quota = $1; }
);
CONF
}
write_conf 5000
check "delistd starts" start_daemon "$T/delistd.conf"
run ctl import "$T/list.csv"
check "twelve listings imported" expect_rc 0

# --- the rate ---------------------------------------------------------------
check "all twelve are checked" wait_for 30 checked 12
# The bucket spaces the calls 1/rate apart when they are sent; the fake
# counts them when they arrive, per wall-clock second, so a call delayed on
# its way may share a second with the next: rate + 1 at most.
check "the fake never saw more than rate (2) calls a second, +1 of jitter" \
    equals "$(stat_of '.max_calls_per_second <= 3')" true
check "... and its limit (3 a second) throttled none" equals "$(stat_of .throttled)" 0

# --- a throttle ban is waited out ------------------------------------------
fake_mode '{"mode":"throttle","count":1}'
c0=$(calls)
tick 601
check "after a ban the rechecks go on" wait_for 30 calls_over $((c0 + 12))
check "... with only the one call refused" equals "$(stat_of .throttled)" 1
check "the ban is logged" grep -q "throttled by the platform" "$T/daemon.log"

# --- the platform's daily quota ---------------------------------------------
tick 601
check "the quota of the fake (30) runs out: source.quota_exhausted" \
    wait_for 30 has_event source.quota_exhausted
check "status says so, and when it resumes" src_is state quota_exhausted
check "... at 00:00 Beijing time" src_is resume_at 2026-11-30T16:00:00Z
c0=$(calls)
tick 601
tick 601
check "no more calls that day" equals "$(calls)" "$c0"
check "source.quota_exhausted is raised once" equals "$(n_events source.quota_exhausted)" 1
NOW=$((MIDNIGHT - 1)); tick 2
check "after 00:00 Beijing time: source.recovered" wait_for 10 has_event source.recovered
check "... and the calls resume" wait_for 30 calls_over "$c0"
check "... on a new count" wait_for 10 src_is state ok

# --- the daemon's own daily_quota, a plan that does not fit ---------------
wait_for 30 checked 12
write_conf 10
run ctl reload
check "a reload takes daily_quota = 10" expect_rc 0
check "the plan that does not fit is logged with its numbers" wait_for 5 \
    grep -q "need [0-9]* calls a day.*daily_quota is 10" "$T/daemon.log"
run ctl status
check "status shows the plan does not fit" contains "$OUT" "more than the quota"
check "... and the stretch" equals "$(ctl --json status | jq '.sources[0].plan.fits == false and .sources[0].plan.stretch > 1')" true
q0=$(stat_of .quota_refused)
# Healthy listings spend the quota evenly over the day, keeping a tenth
# for the urgent calls: late in the day they have spent 9, and the next
# sweep takes the last one.
tick 84000
wait_for 30 src_is calls_today 9
tick 601
check "the daemon stops at its own daily_quota" wait_for 30 src_is calls_today 10
check "... raising source.quota_exhausted for this day" \
    wait_for 10 sh -c '[ "$("$0" -s "$1" --json events | jq "[.events[] | select(.type == \"source.quota_exhausted\")] | length")" = 2 ]' "$DELISTCTL" "$SOCK"
check "... before the platform refuses anything" equals "$(stat_of .quota_refused)" "$q0"
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
check "delistd restarts" start_daemon "$T/delistd.conf"
check "the day's count survived the restart" src_is calls_today 10
check "... and the stop too" src_is state quota_exhausted
check "... without a second alert" equals "$(n_events source.quota_exhausted)" 2
api GET /metrics
check "/metrics has the daily quota" contains "$BODY" 'delistd_source_daily_quota{source="ae"} 10'
check "/metrics has the calls needed" contains "$BODY" 'delistd_source_calls_needed_per_day{source="ae"}'

# --- a raised daily_quota lifts the daemon's own stop ------------------------
r0=$(n_events source.recovered)
stop_daemon
write_conf 11
check "delistd restarts with daily_quota = 11" start_daemon "$T/delistd.conf"
check "... and goes on at once, with source.recovered" wait_for 10 sh -c \
    '[ "$("$0" -s "$1" --json events | jq "[.events[] | select(.type == \"source.recovered\")] | length")" = "$2" ]' "$DELISTCTL" "$SOCK" $((r0 + 1))
src_is calls_today 11 || tick 601
check "it makes its eleventh call" wait_for 30 src_is calls_today 11
check "... and stops again, raising source.quota_exhausted again" wait_for 10 sh -c \
    '[ "$("$0" -s "$1" --json events | jq "[.events[] | select(.type == \"source.quota_exhausted\")] | length")" = 3 ]' "$DELISTCTL" "$SOCK"
write_conf 5000
run ctl reload
check "a reload raising daily_quota" expect_rc 0
check "... lifts the daemon's own stop" wait_for 10 src_is state ok
check "... with source.recovered" equals "$(n_events source.recovered)" $((r0 + 2))
c0=$(calls)
tick 601
check "... and the calls resume" wait_for 30 calls_over "$c0"
stop_daemon
check "delistd stops cleanly again" equals "$DAEMON_RC" 0
finish
