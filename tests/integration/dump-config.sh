#!/bin/sh
# SPDX-License-Identifier: ISC
# dump-config.sh: delistd -T prints the effective configuration (every
# default filled in) as a file that delistd -t accepts, and never a secret:
# a *_file key shows its path marked <file PATH>, a header's value shows as
# <secret>. Printing the printed configuration again gives the same text.
. "$(dirname "$0")/lib.sh"

PLUGIN_DIR=$top_builddir/plugins/.libs
SECRET=dump-Secret-9c2e71
TOKEN=dump-Token-5a0b3d
METRICS=dump-Metrics-1f8e40
printf '%s\n' "$SECRET" > "$T/erp.secret"
printf '%s\n' "$METRICS" > "$T/metrics.token"
chmod 600 "$T/erp.secret" "$T/metrics.token"
cp "$top_srcdir/etc/calendar-cn-2026.conf" "$T/"

cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; max_clients = 7; };
web: { listen = "127.0.0.1:0"; metrics_token_file = "$T/metrics.token"; };
calendar: {
	@include "calendar-cn-2026.conf"
	holidays = [ "2026-12-24" ];
};
rules: { escalation = ( { after_business_days = 3; severity = "warning"; },
    { after_business_days = 5; severity = "critical"; notify = [ "erp" ]; } ); };
shops: ( { name = "main"; timezone = "Asia/Shanghai"; digest_at = "08:30"; } );
plugins: ( {
	name = "erp";
	module = "webhook";
	url = "http://127.0.0.1:9/hook";
	secret_file = "$T/erp.secret";
	headers = [ "X-ERP-Token: $TOKEN" ];
	events = [ "case.*" ];
	retry_base = "2s";
	timeout = "5s";
} );
CONF
run "$DELISTD" -T -c "$T/delistd.conf"
check "delistd -T succeeds" expect_rc 0
printf '%s\n' "$OUT" > "$T/dump.conf"
DUMP=$OUT
check "it fills in a daemon default (client_timeout)" \
    contains "$DUMP" 'client_timeout = "30s";'
check "it keeps a value written (max_clients = 7)" contains "$DUMP" 'max_clients = 7;'
check "it fills in the default state directory's socket" \
    contains "$DUMP" "socket = \"$STATE/delistd.sock\";"
check "it fills in a plugin's defaults (max_attempts)" contains "$DUMP" 'max_attempts = 10;'
check "it fills in a shop's defaults (sweep_interval)" \
    contains "$DUMP" 'sweep_interval = "15m";'
check "it keeps the shop's digest time" contains "$DUMP" 'digest_at = "08:30";'
check "it keeps the included holidays (National Day)" contains "$DUMP" '2026-10-01'
check "it keeps the module's own keys (timeout)" contains "$DUMP" 'timeout = "5s";'
check "a secret file shows as <file PATH>" contains "$DUMP" "<file $T/erp.secret>"
check "the metrics token file shows as <file PATH>" \
    contains "$DUMP" "<file $T/metrics.token>"
check "a header's value shows as <secret>" contains "$DUMP" '"X-ERP-Token: <secret>"'
check "the webhook secret is never printed" lacks "$DUMP" "$SECRET"
check "the header token is never printed" lacks "$DUMP" "$TOKEN"
check "the metrics token is never printed" lacks "$DUMP" "$METRICS"

run "$DELISTD" -t -c "$T/dump.conf"
check "delistd -t accepts the printed configuration" expect_rc 0
run "$DELISTD" -T -c "$T/dump.conf"
sed 1d "$T/dump.conf" > "$T/a"
printf '%s\n' "$OUT" | sed 1d > "$T/b"
check "printing the printed configuration gives the same" cmp "$T/a" "$T/b"

run "$DELISTD" -C -T
check "delistd -C -T prints the built-in configuration" expect_rc 0
check "the built-in one has its shop" contains "$OUT" 'name = "main";'

# The shipped example, every section of it, round trip.
mkdir "$T/ex"
sed -e "s|/var/lib/delistd|$T/ex/state|" -e "s|/run/delistd/delistd.sock|$T/ex/d.sock|" \
    "$top_srcdir/etc/delistd.conf" > "$T/ex/delistd.conf"
cp "$top_srcdir/etc/calendar-cn-2026.conf" "$T/ex/"
"$DELISTD" -T -c "$T/ex/delistd.conf" > "$T/ex/dump.conf" 2>"$T/ex/err"
check "delistd -T prints the shipped example" test -s "$T/ex/dump.conf"
run "$DELISTD" -t -c "$T/ex/dump.conf"
check "... and delistd -t accepts what it printed" expect_rc 0

printf 'daemon: { max_clients = 0; };\n' > "$T/bad.conf"
run "$DELISTD" -T -c "$T/bad.conf"
check "a bad configuration: -T exits 1" expect_rc 1
check "and prints nothing on stdout" equals "$OUT" ""
finish
