#!/bin/sh
# SPDX-License-Identifier: ISC
# source-evidence.sh: what a seller can trust of a case the source opens,
# through the real delistd, the real aliexpress plugin and
# tests/fakes/fake_aliexpress, on the test clock.
#
# Covered: a product ID that is not an AliExpress one (digits only, 10 to 20
# of them) is refused by delistctl track, import (the whole CSV, naming the
# line) and case open, and nothing is stored; a shop without a source keeps
# the generic check. A listing the source confirms not found raises
# listing.not_found once, shows as a warning in delistctl status and in the
# daily digest's data, and the warning goes when the listing is seen again
# or untracked. A case the source opens says how many checks confirmed it,
# and archives the listing as it was before the takedown (the last healthy
# answer, with its title) beside the answer that showed it delisted; that
# healthy answer is stored again only when it changes, not on every check
# (each answer has its own request_id), and the one it replaces is removed.
. "$(dirname "$0")/lib.sh"

for c in curl jq sqlite3; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
PLUGIN_DIR=$top_builddir/plugins/.libs
[ -e "$PLUGIN_DIR/aliexpress.so" ] || { echo "Bail out! aliexpress.so is not built"; exit 1; }

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1795564800 # 2026-11-25T00:00:00Z, a Wednesday, 08:00 in Beijing
setclock $NOW
# tick SECONDS: the test clock moves on; the daemon has seen it.
tick() { NOW=$((NOW + $1)); setclock $NOW; }

APPKEY=34567890
SECRET=ae-Secret-e71d03
TOKEN=ae-Token-0b9f44
printf '%s\n' "$SECRET" > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"

check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"

db() { sqlite3 "$STATE/delistd.db" "$1"; }
status_of() {
	ctl --json listings | jq -r ".listings[] | select(.product_id == \"$1\") | .status"
}
status_is() { [ "$(status_of "$1")" = "$2" ]; }
obs_is() { [ "$(db "SELECT obs_count FROM listings WHERE product_id = '$1'")" = "$2" ]; }
checked_after() { [ "$(db "SELECT checked_at FROM listings WHERE product_id = '$1'")" -ge "$2" ]; }
case_of() {
	ctl --json listings | jq -r ".listings[] | select(.product_id == \"$1\") | .open_case // empty"
}
has_case() { [ -n "$(case_of "$1")" ]; }
n_events() { ctl --json events | jq "[.events[] | select(.type == \"$1\" and .product_id == \"$2\")] | length"; }
warned() { ctl --json status | jq -e ".warnings[] | select(.code == \"listing.not_found\" and .shop == \"main\" and .product_id == \"$1\")" >/dev/null; }
not_warned() { ! warned "$1"; }
nfiles() { find "$STATE/evidence" -type f | wc -l; }
healthy() { db "SELECT healthy_sha256 FROM listings WHERE product_id = '$1'"; }
htitle_is() { [ "$(db "SELECT healthy_title FROM listings WHERE product_id = '$1'")" = "$2" ]; }

PB=1005008000000001 # healthy, then taken down: its before record
PN=1005008000000002 # unknown to the platform, then created
PU=1005008000000003 # unknown to the platform, then untracked
PI=1005008000000010 # in a CSV with a bad line

fake_product "{\"product_id\":\"$PB\",\"status\":\"onSelling\",\"subject\":\"Silk scarf\",\"images\":[\"https://img.example/scarf-1.jpg\"]}"

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = (
	{ name = "main"; source = "ae"; sweep_interval = "6h";
	  recheck_interval = "30m"; confirm_checks = 2; confirm_spacing = "2m"; },
	{ name = "eu"; }
);
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  rate = 20.0; burst = 5; daily_quota = 5000; }
);
CONF
check "delistd starts with the aliexpress source" start_daemon "$conf"

# --- product IDs: the source says what they look like ----------------------
run ctl track main 1234567
check "track refuses an ID too short for AliExpress" expect_rc 1
check "... saying what an AliExpress ID is" contains "$ERR" \
    'product ID "1234567" is not a product ID of shop main (source ae): an AliExpress product ID is digits only, 10 to 20 of them, like 1005001234567890'
check "... and stores nothing" lacks "$(ctl --json listings)" 1234567
check "... not even an event" equals "$(n_events listing.tracked 1234567)" 0
run ctl track main 100500800000000100001
check "track refuses 21 digits" expect_rc 1
run ctl case open main 123456789 --reason ip_infringement
check "case open refuses an ID too short for AliExpress" expect_rc 1
check "... with the same sentence" contains "$ERR" "digits only, 10 to 20 of them"
check "... and opens no case" equals "$(ctl --json cases | jq '.cases | length')" 0
check "... nor tracks the listing" lacks "$(ctl --json listings)" 123456789
run ctl track eu 1234567
check "a shop without a source keeps the generic check" expect_rc 0
cat > "$T/ids.csv" <<CSV
shop,product_id,title
main,$PI,Cotton socks
main,98765,Too short
eu,98765,No source here
CSV
run ctl import "$T/ids.csv"
check "import refuses a CSV with an ID too short for AliExpress" expect_rc 1
check "... naming its line" contains "$ERR" 'ids.csv:3: product ID "98765" is not a product ID of shop main (source ae)'
check "... and the shop without a source is not held to it" lacks "$ERR" "ids.csv:4"
check "... and imports nothing, not even the good line" lacks "$(ctl --json listings)" $PI

# --- listings, and the healthy answer kept once ---------------------------
for p in $PB $PN $PU; do
	ctl track main $p >/dev/null || fail "track main $p"
done
check "$PB is checked: on_sale" wait_for 10 status_is $PB on_sale
check "... its healthy answer is kept" sh -c '[ -n "$1" ] && [ -f "$2/evidence/$1" ]' _ "$(healthy $PB)" "$STATE"
H1=$(healthy $PB)
check "... with its title" htitle_is $PB "Silk scarf"
check "an unknown listing is not not_found on one answer" wait_for 10 obs_is $PN 1
check "... its status is not set yet" status_is $PN unknown
check "... and nobody is warned yet" not_warned $PN

# --- not found, confirmed: a warning -------------------------------------
tick 121
check "the second answer confirms $PN not found" wait_for 10 status_is $PN not_found
check "... listing.not_found is raised" equals "$(n_events listing.not_found $PN)" 1
check "... as a warning" equals "$(ctl --json events | jq -r "[.events[] | select(.type == \"listing.not_found\" and .product_id == \"$PN\")][0].severity")" warning
check "status warns of it (JSON)" warned $PN
run ctl status
check "delistctl status shows the warning" contains "$OUT" \
    "warning      main/$PN: not found by the source since 2026-11-25 00:02 UTC (deleted or wrong ID?)"
check "... and of $PU too" contains "$OUT" "warning      main/$PU: not found"

n0=$(nfiles)
tick 1801
check "another check of $PB" wait_for 10 checked_after $PB $NOW
check "another check of $PN" wait_for 10 checked_after $PN $NOW
check "a listing still not found is not raised again" equals "$(n_events listing.not_found $PN)" 1
tick 1801
check "a third check of $PB" wait_for 10 checked_after $PB $NOW
check "the same healthy answer (a new request_id) is not stored again" equals "$(healthy $PB)" "$H1"
check "... no file is written for it" equals "$(nfiles)" "$n0"

# --- the daily digest (09:00 Beijing) names it ----------------------------
tick 1800
digest_has() {
	ctl --json events | jq -e ".events[] | select(.type == \"digest.daily\" and .shop == \"main\") | .data.warnings[] | select(.code == \"listing.not_found\" and (.text | contains(\"main/$PN: not found by the source\")))" >/dev/null
}
check "the daily digest's data warns of it" wait_for 10 digest_has
check "... and its one line says so" contains \
    "$(ctl --json events | jq -r '.events[] | select(.type == "digest.daily" and .shop == "main") | .message')" \
    "0 dead deliveries; 2 warnings: main/$PN: not found by the source"
check "$PN is checked again, still not found" wait_for 10 checked_after $PN $NOW
check "... and still raised once" equals "$(n_events listing.not_found $PN)" 1

# --- cleared when untracked, or when seen again ---------------------------
run ctl untrack main $PU
check "untrack $PU" expect_rc 0
check "... its warning is gone" not_warned $PU
check "... the other stays" warned $PN
fake_product "{\"product_id\":\"$PN\",\"status\":\"onSelling\",\"subject\":\"Wool hat\"}"
tick 1801
check "$PN is seen once" wait_for 10 obs_is $PN 1
check "... still warned until confirmed" warned $PN
tick 121
check "$PN confirmed on sale" wait_for 10 status_is $PN on_sale
check "... the warning is gone" not_warned $PN
run ctl status
check "... from delistctl status too" lacks "$OUT" "not found by the source"
run ctl --json case open main $PN --reason ip_infringement
check "a case opened by hand" expect_rc 0
CN=$(printf '%s' "$OUT" | jq -r .id)
check "... archives the listing as the source last saw it on sale" equals \
    "$(ctl --json case evidence "$CN" | jq -r '.evidence[] | select(.kind == "before") | .title')" "Wool hat"

# --- a changed healthy answer is kept; a takedown archives it -------------
fake_product "{\"product_id\":\"$PB\",\"subject\":\"Silk scarf, red\",\"images\":[\"https://img.example/scarf-2.jpg\"]}"
tick 1801
check "a changed healthy answer is stored" wait_for 10 htitle_is $PB "Silk scarf, red"
H2=$(healthy $PB)
check "... under a new hash" sh -c '[ "$1" != "$2" ] && [ -f "$3/evidence/$1" ]' _ "$H2" "$H1" "$STATE"
check "... and the one it replaced, named by nothing, is removed" wait_for 5 \
    sh -c '! [ -e "$1" ]' _ "$STATE/evidence/$H1"
fake_product "{\"product_id\":\"$PB\",\"status\":\"offline\",\"ws_display\":\"punish_offline\",\"subject\":\"[removed]\",\"images\":[]}"
tick 1801
check "the first delisted observation is pending" wait_for 10 obs_is $PB 1
tick 121
check "the second opens a case" wait_for 10 has_case $PB
C=$(case_of $PB)
check "listing.delisted says two checks confirmed it" contains \
    "$(ctl --json events | jq -r ".events[] | select(.type == \"listing.delisted\" and .product_id == \"$PB\") | .message")" \
    "confirmed by 2 checks"
run ctl --json case evidence "$C"
check "the case's evidence has the before record" sh -c '[ -n "$2" ] && [ "$1" = "$2" ]' _ \
    "$(printf '%s' "$OUT" | jq -r '.evidence[] | select(.kind == "before") | .sha256')" "$H2"
check "... with the healthy title" equals \
    "$(printf '%s' "$OUT" | jq -r '.evidence[] | select(.kind == "before") | .title')" "Silk scarf, red"
check "... beside the answer that showed it delisted" equals \
    "$(printf '%s' "$OUT" | jq -r '[.evidence[0,1] | .kind] | join(",")')" "before,api_response"
run ctl case evidence "$C" --get "$H2"
check "the before record is the healthy answer" contains "$OUT" '"subject":"Silk scarf, red"'
check "... with its images" contains "$OUT" "scarf-2.jpg"
check "... on sale" contains "$OUT" onSelling
run ctl case show "$C"
OUT=$(printf '%s' "$OUT" | tr '\n' ' ' | tr -s ' ') # unwrapped
check "case show names the before record" contains "$OUT" \
    'the listing before the takedown (its last healthy answer): "Silk scarf, red"'
check "... and the answer that showed it delisted" contains "$OUT" "the answer that showed it delisted"
run ctl case export "$C"
check "case export names the before record" contains "$OUT" \
    "the listing before the takedown: the platform's last healthy answer, title \"Silk scarf, red\""
check "the trail says the before record was archived" contains \
    "$(ctl --json events --case "$C" | jq -r '.events[] | select(.type == "case.evidence") | .message')" \
    "archived the listing as it was before the takedown"

stop_daemon
check "delistd exits cleanly" equals "$DAEMON_RC" 0
finish
