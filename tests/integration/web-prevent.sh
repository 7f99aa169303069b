#!/bin/sh
# SPDX-License-Identifier: ISC
# web-prevent.sh: the console's views of issue 18 in headless Chromium
# (web_prevent.py) against the real delistd on 127.0.0.1: the Listings
# page shows a banned term's compliance-scan finding (term, where, fix),
# filters on it and runs a scan with its summary; the Shop health page
# shows the ledger numbers `delistctl points` gives, and an operator sets a
# ledger there with a reason; the Case page of a tro case records its
# court matter through its form, which `delistctl case matter` and `case
# show` then show, with the actor web:olga in the trail; a viewer sees no
# form. Screenshots (English, Chinese, phone) go to
# tests/integration/web-prevent-shots/ in the build dir.
. "$(dirname "$0")/lib.sh"

for c in curl jq; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
. "$top_srcdir/tests/integration/browser.sh"
browser_found || { echo "1..0 # SKIP no browser"; exit 0; }

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
T0=1799028000 # 2027-01-04T02:00:00Z, a Monday, 10:00 in Beijing
setclock $T0
conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; };
web: { listen = "127.0.0.1:0"; root = "$top_srcdir/daemon/web"; };
shops = ( { name = "main"; timezone = "Asia/Shanghai"; } );
preflight: { brands = ( { name = "Nike"; } ); };
CONF
check "delistd starts with web.listen" start_daemon "$conf"
WEB=http://$(ctl --json status | jq -r .web.listen)
for f in /health.html /health.js /listings.js /case.js; do
	check "CSP on $f" sh -c 'curl -sS -D - -o /dev/null "$1$2" | grep -qi "^Content-Security-Policy: default-src '\''self'\''"' _ "$WEB" "$f"
done
PW=correct-horse-42
printf '%s\n' "$PW" > "$T/pw"
check "an operator" ctl user add olga --role operator --password-file "$T/pw"
check "a viewer" ctl user add vera --role viewer --password-file "$T/pw"

# A listing with a banned term (found when tracked), a clean one.
RISKY=1005008000000001
check "a listing with a banned term" ctl track main $RISKY --title "LED desk lamp, BEST QUALITY, 3 modes"
check "a clean listing" ctl track main 1005008000000002 --title "Cotton socks, 5 pairs"
check "... the term is found" equals "$(ctl --json listings | jq -r ".listings[] | select(.product_id == \"$RISKY\") | .at_risk[0].term")" "best quality"
# Points: an abandoned case (2 on listing_quality), a strike set by hand.
ctl track main 1005008000000003 --title "Phone case" >/dev/null
C1=$(ctl case open main 1005008000000003 --reason category_misplaced)
check "a confirmed case's points" ctl case abandon "$C1"
check "a ledger set by hand" ctl points main --set ip_serious 1 --reason "backend shows 1 strike"
# A tro case without its matter yet.
ctl track main 1005008000000004 --title "Phone holder" >/dev/null
CT=$(ctl case open main 1005008000000004 --reason tro)
check "a tro case" test -n "$CT"

SHOTS=$top_builddir/tests/integration/web-prevent-shots
rm -rf "$SHOTS"
mkdir -p "$SHOTS"
WEB=$WEB PW=$PW SHOTS=$SHOTS CHROME=$CHROME DRIVER=$DRIVER \
    DELISTCTL=$DELISTCTL SOCK=$SOCK RISKY=$RISKY CT=$CT \
    timeout 300 "$PY" "$top_srcdir/tests/integration/web_prevent.py" > "$T/py.out" 2> "$T/py.err"
browser_report $? "$T/py.out" "$T/py.err"

# What the form recorded, as delistctl shows it.
run ctl case matter "$CT"
check "the matter recorded on the page is in delistctl case matter" sh -c 'case "$1" in *"court            N.D. Ill."*"docket           1:27-cv-00777"*"served on us     2027-01-08"*"answer due       2027-01-29 (computed)"*"frozen           2500.00 USD on AliExpress main"*) ;; *) echo "$1"; exit 1;; esac' _ "$OUT"
run ctl case show "$CT"
check "... and in case show" contains "$OUT" "docket           1:27-cv-00777"
check "... by web:olga in the trail" equals "$(ctl --json events | jq -r "[.events[] | select(.type == \"tro.matter\" and .case == $CT)][0].actor")" web:olga
check "the ledger set on the page is what delistctl points gives" sh -c 'printf "%s\n" "$1" | grep -q "^ip_general  *3 points"' _ "$(ctl points main)"
check "... with the reason in the trail" equals "$(ctl --json events | jq -r '[.events[] | select(.type == "shop.points_corrected")] | last | [.actor, .data.reason] | join(" ")')" "web:olga backend shows 3"
check "screenshots saved" sh -c 'ls "$1"/*.png | grep -c . | grep -qv "^0$"' _ "$SHOTS"
stop_daemon
finish
