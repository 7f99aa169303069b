#!/bin/sh
# source-rate.sh: never above the configured rate (issue 21). The platform
# bans by the second, so no second at the gateway may hold more than rate
# calls, counted at the fake (tests/fakes/fake_aliexpress), not in the
# daemon: at rates 5, 20 and 80 (burst = rate), with enough listings due
# to keep the source busy, neither a wall-clock second nor any 1-second
# span at the fake holds more than rate calls.
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
echo $NOW > "$T/clock"
clock_is() { ctl --json status | jq -e ".now == $1" >/dev/null; }
tick() {
	NOW=$((NOW + $1))
	echo "$NOW" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	wait_for 5 clock_is "$NOW"
}

APPKEY=34567891
SECRET=ae-Secret-b07d11
TOKEN=ae-Token-e2c940
printf '%s\n' "$SECRET" > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"
check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret" \
    --qps 100000 --daily-quota 100000000
# The gateway answers after 50 ms, as in tests/bench/source-scale.sh.
fake_mode '{"mode":"latency","latency_ms":50}'

# 600 listings on sale: at rate 80, seven seconds of calls.
N=600
: > "$T/list.csv"
products=
i=0
while [ $i -lt $N ]; do
	p=$((1005009000000000 + i))
	echo "main,$p" >> "$T/list.csv"
	products="$products${products:+,}{\"product_id\":\"$p\",\"status\":\"onSelling\"}"
	i=$((i + 1))
done
fake_product "{\"products\":[$products]}"

write_conf() {
	cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "info"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "1d";
	    recheck_interval = "10m"; confirm_spacing = "1m"; snapshot_url = ""; } );
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  rate = $1; burst = $1; daily_quota = 100000000; }
);
CONF
}
write_conf 5
check "delistd starts" start_daemon "$T/delistd.conf"
run ctl import "$T/list.csv"
check "$N listings imported" expect_rc 0
calls() { stat_of .calls; }
calls_over() { [ "$(calls)" -ge "$1" ]; }
reset_stats() { curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"; }

# rate_holds RATE: the fake's counts since its last reset keep to RATE.
rate_holds() {
	stat_of ".max_calls_per_second <= $1 and .max_calls_in_1s <= $1" | grep -qx true
}

for rate in 5 20 80; do
	write_conf $rate
	run ctl reload
	check "rate $rate: delistctl reload takes it" expect_rc 0
	# A day later every listing is due again; the source is busy at its
	# rate from then on.
	tick 86400
	reset_stats
	want=$((rate * 5))
	check "rate $rate: the fake gets $want calls" wait_for 60 calls_over $want
	check "rate $rate: no second at the fake holds more than $rate calls" rate_holds $rate
	diag "rate $rate at the fake: $(curl -sS "$AE/_fake/stats" | jq -c '{calls, max_calls_per_second, max_calls_in_1s, per_second}')"
done

check "delistd stops" stop_daemon
finish
