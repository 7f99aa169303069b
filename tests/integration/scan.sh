#!/bin/sh
# SPDX-License-Identifier: ISC
# scan.sh: the compliance scan of the catalogue (issue 18), through the
# real delistd, delistctl, the aliexpress plugin and
# tests/fakes/fake_aliexpress, on the test clock.
#
# Covered: a title with a banned term raises listing.at_risk once (not once
# per scan), naming the term, where it is and what to do; a full-width,
# upper-case variant matches; an unauthorized brand is found, an authorized
# one is not; delistctl scan finds them all at once, without a call to the
# platform, and shows them; GET /v1/listings carries the findings; the
# daily digest lists the listings at risk; a title the source reports new
# or changed is scanned; a listing cleaned clears it on the next
# observation (listing.at_risk_cleared).
. "$(dirname "$0")/lib.sh"

for c in curl jq; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
PLUGIN_DIR=$top_builddir/plugins/.libs
[ -e "$PLUGIN_DIR/aliexpress.so" ] || { echo "Bail out! aliexpress.so is not built"; exit 1; }

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1795564800 # 2026-11-25T00:00:00Z, a Wednesday, 08:00 in Beijing
setclock $NOW
tick() { NOW=$((NOW + $1)); setclock $NOW; }

APPKEY=34567890
SECRET=ae-Secret-e71d03
TOKEN=ae-Token-0b9f44
printf '%s\n' "$SECRET" > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"
check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = (
	{ name = "main"; source = "ae"; sweep_interval = "6h";
	  recheck_interval = "30m"; confirm_checks = 1; },
	{ name = "eu"; timezone = "Asia/Shanghai"; }
);
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  rate = 20.0; burst = 5; daily_quota = 5000; }
);
preflight: {
	brands = ( { name = "Nike"; }, { name = "Acme"; authorized = true; } );
};
CONF
check "delistd starts" start_daemon "$conf"

n_events() { ctl --json events | jq "[.events[] | select(.type == \"$1\" and .product_id == \"$2\")] | length"; }
n_is() { [ "$(n_events "$1" "$2")" = "$3" ]; }
risks_of() { ctl --json listings | jq -c "[.listings[] | select(.product_id == \"$1\") | .at_risk[] | {code, term, quote}]"; }

P1=1005009000000001
P2=1005009000000002
P3=1005009000000003
P4=1005009000000004
ctl track eu $P1 --title "LED strip 5 m ＢＥＳＴ QUALITY" >/dev/null
check "a tracked title with a full-width, upper-case banned term raises listing.at_risk" n_is listing.at_risk $P1 1
EV=$(ctl --json events | jq -c "[.events[] | select(.type == \"listing.at_risk\" and .product_id == \"$P1\")][0]")
check "... as a warning" equals "$(printf '%s' "$EV" | jq -r .severity)" warning
check "... naming the term" equals "$(printf '%s' "$EV" | jq -r .data.term)" "best quality"
check "... the title's own words and where they are" equals "$(printf '%s' "$EV" | jq -r '.data.quote + " in " + .data.field')" "ＢＥＳＴ QUALITY in title"
check "... and what to do" contains "$(printf '%s' "$EV" | jq -r .message)" 'remove "ＢＥＳＴ QUALITY" from the title'
ctl track eu $P2 --title "Nike running shoes by Acme" >/dev/null
check "an unauthorized brand is found" equals "$(risks_of $P2)" '[{"code":"title_brand_unauthorized","term":"Nike","quote":"Nike"}]'
ctl track eu $P3 --title "Plain cotton socks" >/dev/null
check "a clean title raises nothing" n_is listing.at_risk $P3 0

CALLS=$(stat_of .calls)
run ctl scan
check "delistctl scan runs" expect_rc 0
check "... counts the listings and those at risk, and nothing new" contains "$OUT" "scanned 3 listing(s): 2 at risk (0 new finding(s), 0 cleared)"
check "... shows the findings with what to do" contains "$OUT" "remove the brand \"Nike\" from the title"
check "... and says no platform call was made" contains "$OUT" "no call was made to the platform"
if why=$(zh_ready); then
	run ctl_zh scan
	check "in Chinese: the summary, the headings and where" sh -c 'case "$1" in *"有风险"*"店铺"*"商品 ID"*"位置"*"命中内容"*"标题  "*) ;; *) echo "$1"; exit 1;; esac' _ "$OUT"
else
	pass "delistctl scan in Chinese # SKIP $why"
fi
check "a scan makes no API call" equals "$(stat_of .calls)" "$CALLS"
ctl scan eu >/dev/null
check "scanning again raises no second listing.at_risk" n_is listing.at_risk $P1 1
run ctl scan nosuch
check "scan of an unknown shop is refused (exit 1)" expect_rc 1
run ctl scan 'bad shop'
check "a bad shop name is refused before any call (exit 1)" expect_rc 1
api POST /v1/scan -d '{"shop": 5}'
check "POST /v1/scan with a bad body is a 400" equals "$HTTP" 400

check "GET /v1/listings shows the findings per listing" equals "$(risks_of $P1)" '[{"code":"title_banned_term","term":"best quality","quote":"ＢＥＳＴ QUALITY"}]'

# The digest at 09:00 Beijing lists the listings at risk.
tick 3600
digest() { ctl --json events | jq -c '[.events[] | select(.type == "digest.daily" and .shop == "eu")][0].data'; }
has_digest() { [ "$(digest)" != null ]; }
check "the daily digest comes" wait_for 10 has_digest
check "... listing the listings at risk" equals "$(digest | jq -c '[.at_risk[].product_id]')" "[\"$P1\",\"$P2\"]"
check "... with their findings and what to do" equals "$(digest | jq -r '.at_risk[0].findings[0].fix | startswith("remove \"ＢＥＳＴ QUALITY\" from the title")')" true
check "... and counts them" equals "$(digest | jq .counts.listings_at_risk)" 2

# Cleaned by the seller: cleared on the next observation.
ctl track eu $P1 --title "LED strip 5 m" >/dev/null
check "a cleaned title clears it (listing.at_risk_cleared)" n_is listing.at_risk_cleared $P1 1
check "... and the listing shows no finding" equals "$(risks_of $P1)" '[]'
ctl track eu $P1 --title "LED strip 5 m, best quality" >/dev/null
check "the term back is a new finding, raised again" n_is listing.at_risk $P1 2

# A title the source reports, new or changed, is scanned.
fake_product "{\"product_id\":\"$P4\",\"status\":\"onSelling\",\"subject\":\"Silk scarf No.1\"}"
ctl track main $P4 >/dev/null
check "a title the source reports is scanned" wait_for 10 n_is listing.at_risk $P4 1
check "... raised by the daemon" equals "$(ctl --json events | jq -r "[.events[] | select(.type == \"listing.at_risk\" and .product_id == \"$P4\")][0].actor")" daemon
fake_product "{\"product_id\":\"$P4\",\"subject\":\"Silk scarf\"}"
tick 86400
check "cleaned at the source: cleared on the next observation" wait_for 10 n_is listing.at_risk_cleared $P4 1

check "delistd stops cleanly" stop_daemon TERM
check "... exit 0" equals "$DAEMON_RC" 0
finish
