#!/bin/sh
# SPDX-License-Identifier: ISC
# aliexpress.sh: what the aliexpress source module itself does, through the
# real delistd against tests/fakes/fake_aliexpress, on the test clock.
# (source.sh covers the scheduler and the cases; this covers the module.)
#
# Covered: its configuration errors, each naming the key; a sweep that
# pages product.list.get (99 a page) through each delisted code in turn,
# with the wrapped answers (simplify = false) and the token sent as
# "session"; a token the platform stopped taking, refreshed once and both
# token files rewritten atomically with mode 0600; a refresh before the
# known expiry, without a refused call first; a refused refresh token, after
# which no call reaches the platform until the token file changes; and no
# secret in the daemon's log.
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
NOW=1795572000 # 2026-11-25T00:00:00Z, 08:00 in Beijing
echo $NOW > "$T/clock"
clock_is() { ctl --json status | jq -e ".now == $1" >/dev/null; }
tick() {
	NOW=$((NOW + $1))
	echo "$NOW" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	[ -z "$DAEMON_PID" ] || wait_for 5 clock_is "$NOW"
}

APPKEY=34567890
SECRET=ae-Secret-c0ffee42
TOKEN=ae-Token-7a1b2c
REFRESH=ae-Refresh-3d4e5f
mkdir "$T/keys"
chmod 700 "$T/keys"
printf '%s\n' "$SECRET" > "$T/keys/secret"
printf '%s\n' "$TOKEN" > "$T/keys/token"
printf '%s\n' "$REFRESH" > "$T/keys/refresh"
chmod 600 "$T/keys/secret" "$T/keys/token" "$T/keys/refresh"

check "fake_aliexpress starts" start_fake_aliexpress "$T/keys/secret" \
    --refresh-token "$REFRESH"

fake() {
	[ "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -d "$2" \
	    "$AE/_fake/$1")" = 200 ] || fail "the fake takes $1 $2"
}
calls() { stat_of .calls; }
refreshes() { stat_of .refreshes; }
n_events() { ctl --json events | jq "[.events[] | select(.type == \"$1\")] | length"; }
has_event() { [ "$(n_events "$1")" -ge 1 ]; }
tracked() { ctl --json listings | jq '.listings | length'; }

# --- configuration errors ---------------------------------------------------
# bad_conf KEYS WANT: a config whose aliexpress block has KEYS is refused by
# delistd -t with WANT in the message.
bad_conf() {
	cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; } );
plugins = ( { name = "ae"; module = "aliexpress"; $1 } );
CONF
	run "$DELISTD" -t -c "$T/bad.conf"
	[ "$RC" != 0 ] && contains "$ERR" "$2"
}
KEYS="app_secret_file = \"$T/keys/secret\"; token_file = \"$T/keys/token\";"
check "app_key is required" bad_conf "$KEYS" "app_key is required"
check "an unknown key is named" bad_conf "app_key = \"1\"; $KEYS colour = 1;" \
    "plugins.ae.colour: unknown key for module aliexpress"
check "token_param is access_token or session" bad_conf \
    "app_key = \"1\"; $KEYS token_param = \"bearer\";" 'token_param: expected "access_token" or "session"'
check "delisted_codes must be ws_display values" bad_conf \
    "app_key = \"1\"; $KEYS delisted_codes = [ \"punish offline\" ];" "delisted_codes[0]"
check "delisted_codes may not be empty" bad_conf \
    "app_key = \"1\"; $KEYS delisted_codes = [ ];" "delisted_codes: give 1 to 16"
check "the gateway must be http(s)" bad_conf \
    "app_key = \"1\"; $KEYS gateway = \"ftp://x\";" "gateway: expected http:// or https://"
check "the timeout has a range" bad_conf \
    "app_key = \"1\"; $KEYS timeout = \"1h\";" "timeout: 3600s is out of range"
check "the token files must differ" bad_conf \
    "app_key = \"1\"; $KEYS refresh_token_file = \"$T/keys/token\";" "refresh_token_file: must not be token_file"
check "a token file readable by others is refused" sh -c '
	chmod 644 "$1/keys/token"; "$2" -t -c "$3" 2>&1 | grep -q "secret file"; rc=$?
	chmod 600 "$1/keys/token"; exit $rc' _ "$T" "$DELISTD" "$T/bad.conf"

# --- a sweep through pages and codes, wrapped, token as session ------------
json='{"products":['
i=0
while [ $i -lt 100 ]; do
	json="$json{\"product_id\":\"$((1005008000000000 + i))\",\"status\":\"offline\",\"ws_display\":\"punish_offline\",\"subject\":\"item $i\"},"
	i=$((i + 1))
done
json="$json{\"product_id\":\"1005009000000001\",\"status\":\"offline\",\"ws_display\":\"violate_offline\"},"
json="$json{\"product_id\":\"1005009000000002\",\"status\":\"offline\",\"ws_display\":\"user_offline\"},"
json="$json{\"product_id\":\"1005009000000003\",\"status\":\"onSelling\"}]}"
fake product "$json"
fake token '{"expires_in":7200}'

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "1m";
	    recheck_interval = "1h"; confirm_checks = 1;
	    snapshot_url = "$AE/item/{product_id}.html"; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE/";
	      app_key = "$APPKEY"; app_secret_file = "$T/keys/secret";
	      token_file = "$T/keys/token"; refresh_token_file = "$T/keys/refresh";
	      simplify = false; token_param = "session"; timeout = "5s";
	      rate = 200.0; burst = 200; } );
CONF
run "$DELISTD" -t -c "$conf"
check "the configuration passes delistd -t" expect_rc 0
check "delistd starts with the module" start_daemon "$conf"
list_calls() { stat_of '.calls_by_method["aliexpress.solution.product.list.get"] // 0'; }
list_calls_ge() { [ "$(list_calls)" -ge "$1" ]; }
tracked_is() { [ "$(tracked)" = "$1" ]; }
check "the sweep pages punish_offline (2 pages of 99) then violate_offline" \
    wait_for 20 list_calls_ge 3
check "every delisted listing is tracked, and no other" wait_for 30 tracked_is 101
check "no call was refused: signed, wrapped answers read, token as session" \
    sh -c '! grep -q -e "sign=bad" -e "token=bad" "$1"' _ "$T/ae.log"
check "the user_offline listing is not tracked" sh -c \
    '! "$1" -s "$2" --json listings | grep -q 1005009000000002' _ "$DELISTCTL" "$SOCK"

# --- the platform stops taking the token: one refresh, files rewritten ------
fake token '{"token":"taken-back-by-the-platform"}'
tick 60
check "a refused token is refreshed once" wait_for 10 sh -c \
    '[ "$(curl -sS "$1/_fake/stats" | jq .refreshes)" = 1 ]' _ "$AE"
check "the token file holds the new token, mode 0600" sh -c '
	grep -q "^fake-at-" "$1/token" && grep -q "^fake-rt-" "$1/refresh" &&
	[ "$(stat -c %a "$1/token")" = 600 ] && [ "$(stat -c %a "$1/refresh")" = 600 ]' _ "$T/keys"
check "no temporary file is left beside them" sh -c \
    '[ "$(ls "$1" | sort | tr "\n" " ")" = "refresh secret token " ]' _ "$T/keys"
check "the calls after the refresh are taken" wait_for 10 sh -c '
	sed -n "/answer=refreshed/,\$p" "$1" | grep -q "token=ok" &&
	! sed -n "/answer=refreshed/,\$p" "$1" | grep -q "token=bad"' _ "$T/ae.log"
check "no source.auth_failed for a token that could be refreshed" \
    equals "$(n_events source.auth_failed)" 0
check "the refresh is logged without the token" grep -q "token refreshed, valid for 7200s" "$T/daemon.log"

# --- a refresh before the known expiry ---------------------------------------
bad_before=$(grep -c "token=bad" "$T/ae.log")
tick 3660
check "an hour before expiry the token is refreshed first" wait_for 10 sh -c \
    '[ "$(curl -sS "$1/_fake/stats" | jq .refreshes)" = 2 ]' _ "$AE"
check "without a refused call" equals "$(grep -c "token=bad" "$T/ae.log")" "$bad_before"

# --- a refused refresh token: no calls until the token file changes ---------
fake token '{"token":"renewed-by-hand","refresh_token":"not-ours"}'
tick 60
check "a refused refresh raises source.auth_failed" wait_for 10 has_event source.auth_failed
n0=$(calls)
sweeps() { grep -c "source ae: sweep of main" "$T/daemon.log"; }
sweeps_over() { [ "$(sweeps)" -gt "$1" ]; }
s0=$(sweeps)
tick 60
tick 60
tick 60
if wait_for 20 sweeps_over "$s0"; then
	pass "the daemon still tries its sweep"
else
	fail "the daemon still tries its sweep"
	diag "s0=$s0 now=$(sweeps)" "$(grep -v "checking main\|case\.\|listing\." "$T/daemon.log" | tail -n 40)"
fi
check "while the token file is unchanged nothing reaches the platform" equals "$(calls)" "$n0"
printf '%s\n' renewed-by-hand > "$T/keys/token.new"
chmod 600 "$T/keys/token.new"
mv "$T/keys/token.new" "$T/keys/token"
tick 60
check "once it changes the calls go out again" wait_for 10 sh -c '[ "$(curl -sS "$1/_fake/stats" | jq .calls)" -gt "$2" ]' _ "$AE" "$n0"
check "and are taken: source.recovered" wait_for 10 has_event source.recovered
check "the module says it calls again" grep -q "changed: calling AliExpress again" "$T/daemon.log"

check "no secret or token in the daemon's log" sh -c '
	! grep -q -e "$1" -e "$2" -e "$3" -e renewed-by-hand -e fake-at- -e fake-rt- "$4"' \
    _ "$SECRET" "$TOKEN" "$REFRESH" "$T/daemon.log"
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
stop_fake

finish
