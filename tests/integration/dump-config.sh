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

check "it prints the penalty points in effect, the defaults without a group" \
    sh -c 'case "$1" in *"points = {"*"warn_margin = 4;"*"reason = \"prohibited_words\";"*"name = \"ip_general\";"*"consequence = \"account frozen 7 days\";"*) ;; *) exit 1;; esac' _ "$DUMP"
check "... and the TRO defaults" sh -c 'case "$1" in *"tro = {"*"timezone = \"America/Chicago\";"*"answer_days = 21;"*"tro_days = 14;"*"reminder_days = [ 7, 3, 1 ];"*) ;; *) exit 1;; esac' _ "$DUMP"

# The groups added lately: points and tro over their defaults, web with
# TLS, a shop's language, a chatbot sink's keys.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/web.key" -out "$T/web.crt" -days 2 -subj "/CN=dump" \
    >/dev/null 2>&1 || { echo "Bail out! openssl cannot make a certificate"; exit 1; }
BOTKEY=dump-Bot-77aa31
BOTSEC=dump-BotSec-0d9e4c
printf '%s\n' "$BOTKEY" > "$T/bot.token"
printf '%s\n' "$BOTSEC" > "$T/bot.secret"
chmod 600 "$T/bot.token" "$T/bot.secret" "$T/web.key"
cat > "$T/new.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; timezone = "Europe/Berlin"; };
web: { listen = "127.0.0.1:0"; tls_cert_file = "$T/web.crt";
    tls_key_file = "$T/web.key"; metrics_token_file = "$T/metrics.token"; };
points: { warn_margin = 3;
    reasons = ( { reason = "duplicate_listing"; ledger = "none"; points = 0; } ); };
tro: { answer_days = 20; reminder_days = [ 10, 2 ]; };
shops: ( { name = "cn"; timezone = "Asia/Shanghai"; language = "zh-CN"; },
    { name = "eu"; } );
plugins: ( { name = "ops"; module = "chatbot"; service = "dingtalk";
    token_file = "$T/bot.token"; secret_file = "$T/bot.secret";
    mentions = [ "alice=13800000000" ]; rate_per_minute = 10;
    language = "en"; } );
CONF
run "$DELISTD" -T -c "$T/new.conf"
check "delistd -T prints a configuration with the newer groups" expect_rc 0
printf '%s\n' "$OUT" > "$T/new-dump.conf"
NEW=$OUT
check "points: the value written, the other defaults filled in" sh -c 'case "$1" in *"points = {"*"expiry = \"365d\";"*"warn_margin = 3;"*"daily_cap = 6;"*"strike_merge = \"3d\";"*) ;; *) exit 1;; esac' _ "$NEW"
check "... a reason that records nothing kept as ledger \"none\"" sh -c 'printf "%s\n" "$1" | grep -A1 "reason = \"duplicate_listing\";" | grep -q "ledger = \"none\";"' _ "$NEW"
check "... the default reasons beside it" contains "$NEW" 'reason = "false_info";'
check "tro: the days written, the rest filled in" sh -c 'case "$1" in *"tro = {"*"timezone = \"America/Chicago\";"*"answer_days = 20;"*"tro_days = 14;"*"reminder_days = [ 10, 2 ];"*) ;; *) exit 1;; esac' _ "$NEW"
check "web: listen, TLS files, insecure_bind, the metrics token as <file PATH>" sh -c 'case "$1" in *"web = {"*"listen = \"127.0.0.1:0\";"*"insecure_bind = false;"*"<file $2/metrics.token>"*"tls_cert_file = \"$2/web.crt\";"*"tls_key_file = \"$2/web.key\";"*) ;; *) exit 1;; esac' _ "$NEW" "$T"
check "a shop's language" contains "$NEW" 'language = "zh-CN";'
check "a shop without a zone shows the daemon's" sh -c 'printf "%s\n" "$1" | grep -A2 "name = \"eu\";" | grep -q "timezone = \"Europe/Berlin\";"' _ "$NEW"
check "the chatbot sink's keys" sh -c 'case "$1" in *"module = \"chatbot\";"*"service = \"dingtalk\";"*"<file $2/bot.token>"*"<file $2/bot.secret>"*"\"alice=13800000000\""*"rate_per_minute = 10;"*"language = \"en\";"*) ;; *) exit 1;; esac' _ "$NEW" "$T"
check "no secret printed: not the robot's token" lacks "$NEW" "$BOTKEY"
check "... nor its signing secret" lacks "$NEW" "$BOTSEC"
check "... nor the metrics token" lacks "$NEW" "$METRICS"
check "... nor the TLS key" lacks "$NEW" "PRIVATE KEY"
run "$DELISTD" -t -c "$T/new-dump.conf"
check "delistd -t accepts it" expect_rc 0
run "$DELISTD" -T -c "$T/new-dump.conf"
sed 1d "$T/new-dump.conf" > "$T/a"
printf '%s\n' "$OUT" | sed 1d > "$T/b"
check "printing it again gives the same" cmp "$T/a" "$T/b"

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
