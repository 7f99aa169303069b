#!/bin/sh
# SPDX-License-Identifier: ISC
# source-rate.sh: never above the configured rate (issue 21). The platform
# bans by the second, so no second at the gateway may hold more than rate
# calls, counted at the fake (tests/fakes/fake_aliexpress), not in the
# daemon: at rates 5, 20 and 80 (burst = rate), with enough listings due
# to keep the source busy, neither a wall-clock second nor any 1-second
# span at the fake holds more than rate calls.
. "$(dirname "$0")/lib.sh"

need_aliexpress
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1796004000 # 2026-11-30T02:00:00Z, 10:00 in Beijing
setclock $NOW
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
	NOW=$((NOW + 86400))
	setclock $NOW
	reset_stats
	want=$((rate * 5))
	check "rate $rate: the fake gets $want calls" wait_for 60 calls_over $want
	check "rate $rate: no second at the fake holds more than $rate calls" rate_holds $rate
	diag "rate $rate at the fake: $(curl -sS "$AE/_fake/stats" | jq -c '{calls, max_calls_per_second, max_calls_in_1s, per_second}')"
done

check "delistd stops" stop_daemon
finish
