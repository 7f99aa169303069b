#!/bin/sh
# SPDX-License-Identifier: ISC
# metrics.sh: /metrics by sink. A webhook sink that answers 500 keeps a
# delivery pending: delistd_sink_pending{sink="erp"} counts it and
# delistd_sink_oldest_pending_seconds (and the outbox-wide
# delistd_outbox_oldest_pending_seconds) grow with the test clock; another
# sink that takes everything shows 0. Open cases by shop and reason,
# listings at risk by shop and open conditions by severity are gauges.
# promtool accepts the exposition, and the shipped alert rules
# (etc/prometheus/delistd-alerts.yml) pass promtool check rules and their
# own promtool test rules; every metric the daemon exposes is on the
# Grafana dashboard, whose every expression promtool parses.
. "$(dirname "$0")/lib.sh"

for c in curl promtool; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
PLUGIN_DIR=$top_builddir/plugins/.libs
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1795564800
setclock $NOW

check "fake_webhook starts answering 500" start_fake_webhook --mode fail500
cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = (
	{ name = "erp"; module = "webhook"; url = "$URL/erp";
	  events = [ "case.opened" ]; retry_base = "1h"; retry_cap = "1h"; },
	{ name = "ads"; module = "exec"; command = [ "/bin/true" ];
	  events = [ "case.opened" ]; },
	{ name = "bad"; module = "exec"; command = [ "/bin/false" ];
	  events = [ "case.opened" ]; max_attempts = 1; }
);
CONF
check "delistd starts" start_daemon "$T/delistd.conf"
ctl case open main 1005001000000888 --reason other >/dev/null || fail "case open"
tried() { grep -q 'path=/erp .*status=500' "$HOOKLOG"; }
check "the erp sink was tried and refused" wait_for 20 tried

metric() { # NAME{LABELS}: its value
	api GET /metrics
	printf '%s\n' "$BODY" | awk -v m="$1" '$1 == m { print $2 }'
}
setclock $((NOW + 600))
check "delistd_sink_pending{sink=\"erp\"} is 1" \
    equals "$(metric 'delistd_sink_pending{sink="erp"}')" 1
check "the erp delivery's age follows the clock (600 s)" \
    equals "$(metric 'delistd_sink_oldest_pending_seconds{sink="erp"}')" 600
check "the outbox-wide oldest pending age is the same" \
    equals "$(metric delistd_outbox_oldest_pending_seconds)" 600
delivered() { [ "$(metric 'delistd_sink_pending{sink="ads"}')" != 1 ]; }
check "the ads sink has nothing pending" wait_for 20 delivered
check "... and no age" sh -c '[ -z "$1" ] || [ "$1" = 0 ]' _ \
    "$(metric 'delistd_sink_oldest_pending_seconds{sink="ads"}')"

# The gauges of cases, risks and conditions.
check "delistd_shop_cases_open counts the case by shop and reason" \
    equals "$(metric 'delistd_shop_cases_open{shop="main",reason="other"}')" 1
ctl track main 1005001000000777 --title "LED strip best quality" >/dev/null || fail "track"
check "a title with a banned term: delistd_shop_listings_at_risk is 1" \
    equals "$(metric 'delistd_shop_listings_at_risk{shop="main"}')" 1
# The bad sink gives up at once: delivery.dead is a critical condition.
dead_open() { [ "$(metric 'delistd_conditions_open{severity="critical"}')" = 1 ]; }
check "a dead delivery: delistd_conditions_open{severity=\"critical\"} is 1" wait_for 20 dead_open
ctl case open main 1005001000000889 --reason false_info >/dev/null || fail "case open"
check "a second case of another reason is its own series" \
    equals "$(metric 'delistd_shop_cases_open{shop="main",reason="false_info"}')" 1

api GET /metrics
printf '%s\n' "$BODY" > "$T/metrics.txt"
check "promtool check metrics accepts the exposition" \
    sh -c 'promtool check metrics < "$1"' _ "$T/metrics.txt"
stop_daemon

RULES=$top_srcdir/etc/prometheus/delistd-alerts.yml
check "promtool check rules accepts delistd-alerts.yml" promtool check rules "$RULES"
cp "$RULES" "$T/delistd-alerts.yml"
cp "$top_srcdir/etc/prometheus/delistd-alerts.test.yml" "$T/"
check "the alert rules' own tests pass (promtool test rules)" \
    sh -c 'cd "$1" && promtool test rules delistd-alerts.test.yml' _ "$T"
DASH=$top_srcdir/etc/grafana/delistd-dashboard.json
check "the Grafana dashboard is JSON with panels on delistd's metrics" sh -c \
    'jq -e "[.panels[].targets[]?.expr] | map(select(test(\"delistd_\"))) | length > 5" "$1"' \
    _ "$DASH"
# Every metric of the exposition (its # TYPE lines) is on the dashboard.
sed -n 's/^# TYPE \([a-z_]*\) .*/\1/p' "$T/metrics.txt" | sort -u > "$T/exposed"
jq -r '.panels[].targets[]?.expr' "$DASH" > "$T/exprs"
: > "$T/missing"
while read -r m; do
	grep -q "$m\([^a-z_]\|$\)" "$T/exprs" || echo "$m" >> "$T/missing"
done < "$T/exposed"
check "the exposition has the newer metrics" sh -c 'grep -qx delistd_conditions_open "$1" && grep -qx delistd_shop_cases_open "$1"' _ "$T/exposed"
check "every metric exposed is on the dashboard" sh -c '[ ! -s "$1" ] || { cat "$1"; exit 1; }' _ "$T/missing"
# Each expression parses: promtool checks it as a recording rule.
{
	echo "groups:"
	echo "  - name: dashboard"
	echo "    rules:"
	n=0
	while read -r e; do
		n=$((n + 1))
		printf '      - record: dashboard_expr_%d\n        expr: %s\n' "$n" \
		    "$(printf '%s' "$e" | jq -Rs .)"
	done < "$T/exprs"
} > "$T/dashboard-rules.yml"
check "promtool parses every dashboard expression" promtool check rules "$T/dashboard-rules.yml"
finish
