#!/bin/sh
# SPDX-License-Identifier: ISC
# preflight-page.sh: "the page was not really changed" (issue 13), through
# the real delistd with the aliexpress source against fake_aliexpress on
# the test clock. A note and a statement claim a new title; while the
# source still reports the old one, case check says page_unchanged: a
# warning when the source's latest look came before the note, an error
# (exit 4) once it looked after it; when the page shows the new title, the
# finding goes. The title the source saw survives a restart (store).
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }
PLUGIN_DIR=$top_builddir/plugins/.libs
[ -e "$PLUGIN_DIR/aliexpress.so" ] || { echo "Bail out! aliexpress.so is not built"; exit 1; }

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1795572000 # 2026-11-25T00:00:00Z
echo $NOW > "$T/clock"
tick() { NOW=$(($NOW + $1)); setclock $NOW; }

APPKEY=34567890
SECRET=ae-Secret-5e1f00
TOKEN=ae-Token-77aa01
printf '%s\n' "$SECRET" > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"
check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"
product() {
	[ "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -d "$1" \
	    "$AE/_fake/product")" = 200 ] || fail "the fake takes product $1"
}
checks() { stat_of '.calls_by_method["aliexpress.postproduct.redefining.findaeproductbyid"] // 0'; }
checks_over() { [ "$(checks)" -gt "$1" ]; }
seen_at() { sqlite3 "$STATE/delistd.db" "SELECT seen_title_at FROM listings WHERE product_id = '$1'"; }
seen_after() { [ "$(seen_at "$1")" -gt "$2" ]; }
title_is() { ctl --json listings | jq -e ".listings[] | select(.product_id == \"$1\" and .title == \"$2\")" >/dev/null; }

P1=1005009000000001
OLD="Best Quality LED strip No.1"
NEW="LED strip 5m warm white"
product "{\"product_id\":\"$P1\",\"status\":\"onSelling\",\"subject\":\"$OLD\"}"

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "6h";
	    recheck_interval = "30m"; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE";
	      app_key = "$APPKEY"; app_secret_file = "$T/ae.secret";
	      token_file = "$T/ae.token"; } );
CONF
check "delistd starts with the aliexpress source" start_daemon "$conf"
ctl track main $P1 >/dev/null
check "the source reports the listing's title" wait_for 10 title_is $P1 "$OLD"
id=$(ctl case open main $P1 --reason prohibited_words)

# The seller says the title changed; the page still shows the old one.
tick 60
ctl case note "$id" "removed the absolute terms" --field title --after "$NEW" >/dev/null
printf '%s' "We removed the absolute terms best quality and No.1 from the title of listing $P1; the new title is \"$NEW\", see the screenshots with the address bar." > "$T/s.txt"
run ctl --json case check "$id" --statement "$T/s.txt" --title "$NEW"
check "a claimed title the source has not seen is page_unchanged" contains "$OUT" '"code": "page_unchanged"'
check "... a warning while the source's look predates the note" sh -c 'printf "%s" "$1" | jq -e "[.findings[] | select(.code == \"page_unchanged\")] | length >= 1 and all(.severity == \"warning\")"' _ "$OUT"
check "... saying what the source saw" contains "$OUT" "$OLD"
run ctl case check "$id" --statement "$T/s.txt" --title "$NEW"
check "... which does not block (exit 0)" expect_rc 0

# The source looks again after the note: still the old title.
c0=$(checks)
tick 1801
check "the source checks the listing again" wait_for 10 checks_over "$c0"
check "... and its observation is stored" wait_for 10 seen_after $P1 $((NOW - 1801))
run ctl --json case check "$id" --statement "$T/s.txt" --title "$NEW"
check "once the source saw the old title after the note: page_unchanged is an error" sh -c 'printf "%s" "$1" | jq -e "[.findings[] | select(.code == \"page_unchanged\" and .severity == \"error\")] | length >= 1"' _ "$OUT"
run ctl case check "$id" --statement "$T/s.txt" --title "$NEW"
check "... and case check exits 4 (blockers found)" expect_rc 4

# A restart keeps what the source saw (the store), not a manual title.
stop_daemon
check "delistd restarts" start_daemon "$conf"
run ctl --json case check "$id" --statement "$T/s.txt" --title "$NEW"
check "after a restart the finding stays" contains "$OUT" '"code": "page_unchanged"'

# The page changes; the source sees it; the finding goes.
product "{\"product_id\":\"$P1\",\"subject\":\"$NEW\"}"
c0=$(checks)
tick 1801
check "the source sees the new title" wait_for 10 title_is $P1 "$NEW"
run ctl --json case check "$id" --statement "$T/s.txt" --title "$NEW"
check "when the page shows the claimed title: no page_unchanged" lacks "$OUT" '"page_unchanged"'

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
