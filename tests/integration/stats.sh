#!/bin/sh
# SPDX-License-Identifier: ISC
# stats.sh: the Statistics through the real delistd, delistctl, the
# aliexpress plugin against tests/fakes/fake_aliexpress, and (when a
# browser is here) the console's Statistics page in headless Chromium.
#
# A history over four weeks on the test clock: cases opened by hand and
# one by the source (a fake gateway delisting whose offline date is the
# takedown), appeals approved, rejected and pending, reinstatements by hand
# and by the source, an abandoned case, a case in another shop and zone.
# GET /v1/stats gives the delistings per ISO week (Monday, the shop's zone)
# by reason, the appeal outcomes by reason, the days from takedown to
# reinstatement (median, p90, histogram), the open cases at each week's
# end, per shop and for all; each chart as CSV with a header row; bad
# queries are 400 (unknown shop 404). delistctl stats prints the same
# numbers. web_stats.py checks the page shows them, in English and Chinese;
# its screenshots go to tests/integration/stats-shots/ in the build dir.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$top_builddir/tests/fakes/fake_aliexpress" "$PLUGIN_DIR/aliexpress.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

DAY=86400
T0=1788746400 # Monday 2026-09-07 10:00 in Beijing: ISO week 2026-W37
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
echo $T0 > "$T/clock"

APPKEY=34567890
TOKEN=ae-Token-5d31aa
printf '%s\n' ae-Secret-91c2e7 > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"
check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
web: { listen = "127.0.0.1:0"; root = "$top_srcdir/daemon/web"; };
shops = ( { name = "main"; timezone = "Asia/Shanghai"; source = "ae";
	    recheck_interval = "30m"; confirm_checks = 2; confirm_spacing = "2m"; },
	  { name = "eu"; timezone = "Europe/Berlin"; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE";
	      app_key = "$APPKEY"; app_secret_file = "$T/ae.secret";
	      token_file = "$T/ae.token"; } );
CONF
# The source sees main's listings on sale (a case opened by hand on one
# stays open: never seen off sale), until it takes P down.
P=1005009000000005
fake_product "{\"products\":[$(for p in 1 2 4 5 6; do printf '{"product_id":"100500900000000%s","status":"onSelling"},' $p; done | sed 's/,$//')]}"
check "delistd starts" start_daemon "$conf"

at() { setclock $((T0 + $1)); }
stmt() { printf '%s\n' "$1" > "$T/stmt.txt"; echo "$T/stmt.txt"; }
open_case() { ctl case open "$1" "$2" --reason "$3"; }
for p in 1 2 4 5 6; do
	ctl track main 100500900000000$p --title "Product $p" >/dev/null || fail "track $p"
done
ctl track eu 1005009000000003 --title "Product 3" >/dev/null || fail "track 3"

# Week 37: A and B (main, ip_infringement), C (eu, false_info).
A=$(open_case main 1005009000000001 ip_infringement)
B=$(open_case main 1005009000000002 ip_infringement)
C=$(open_case eu 1005009000000003 false_info)
check "cases A, B, C opened" test -n "$A" -a -n "$B" -a -n "$C"
at $((1 * DAY)); ctl case appeal "$A" --platform-case 5000000001 --statement "$(stmt 'We removed the logo.')" --force >/dev/null
at $((2 * DAY)); ctl case appeal "$B" --platform-case 5000000002 --statement "$(stmt 'The brand is ours.')" --force >/dev/null
at $((3 * DAY)); check "A approved" ctl case decision "$A" --approved
at $((4 * DAY)); check "A reinstated after 4 days" ctl case reinstated "$A"
at $((5 * DAY)); check "B rejected" ctl case decision "$B" --rejected "brand authorisation missing"
# Week 38: D (main, false_info); B appealed again (pending), D approved.
at $((7 * DAY)); D=$(open_case main 1005009000000004 false_info)
check "case D opened" test -n "$D"
at $((8 * DAY))
check "B appealed again" sh -c '"$1" -s "$2" case appeal "$3" --platform-case 5000000003 --statement "$4" --force >/dev/null' _ "$DELISTCTL" "$SOCK" "$B" "$(stmt 'Here is the authorisation chain.')"
check "D appealed" sh -c '"$1" -s "$2" case appeal "$3" --platform-case 5000000004 --statement "$4" --force >/dev/null' _ "$DELISTCTL" "$SOCK" "$D" "$(stmt 'The size chart is fixed.')"
at $((9 * DAY)); check "D approved" ctl case decision "$D" --approved

# The gateway takes P (main) down on Thursday of week 38, 10:00 Beijing;
# two observations open its case.
case_of() { ctl --json listings | jq -r ".listings[] | select(.product_id == \"$P\") | .open_case // empty"; }
has_case() { [ -n "$(case_of)" ]; }
obs_is() { [ "$(sqlite3 "$STATE/delistd.db" "SELECT obs_count FROM listings WHERE product_id = '$P'")" = "$1" ]; }
state_is() { [ "$(ctl --json case show "$1" | jq -r .state)" = "$2" ]; }
fake_product "{\"product_id\":\"$P\",\"status\":\"offline\",\"ws_display\":\"punish_offline\",\"offline_date\":\"2026-09-17 10:00:00\"}"
at $((10 * DAY + 60))
check "the source's first observation" wait_for 10 obs_is 1
at $((10 * DAY + 181))
check "the second opens P's case" wait_for 10 has_case
PC=$(case_of)
check "... taken down at the gateway's offline date" sh -c '"$1" -s "$2" --json case show "$3" | jq -e ".offline_at == \"2026-09-17T02:00:00Z\"" >/dev/null' _ "$DELISTCTL" "$SOCK" "$PC"
check "... classified ip_infringement" ctl case classify "$PC" ip_infringement
# Week 39: E (main, prohibited_words), abandoned; D reinstated after 9
# days; P back on sale: reinstated by the source after 6 days.
at $((14 * DAY)); E=$(open_case main 1005009000000006 prohibited_words)
check "case E opened" test -n "$E"
fake_product "{\"product_id\":\"$P\",\"status\":\"onSelling\"}"
at $((16 * DAY)); check "D reinstated" ctl case reinstated "$D"
check "the source sees P on sale" wait_for 10 obs_is 1
at $((16 * DAY + 121))
check "the source reinstates P's case (synced: no sink waits)" wait_for 10 state_is "$PC" synced
at $((17 * DAY)); check "E abandoned" ctl case abandon "$E"
at $((18 * DAY)); ctl case appeal "$C" --platform-case 5000000005 --statement "$(stmt 'The material is cotton.')" --force >/dev/null
at $((19 * DAY)); check "C rejected" ctl case decision "$C" --rejected "still wrong"
at $((22 * DAY)) # Wednesday of week 40

# --- GET /v1/stats ---------------------------------------------------------
jqs() { printf '%s' "$BODY" | jq -e "$1" >/dev/null || { echo "$1 fails on: $BODY" | head -c 3000; return 1; }; }
api GET "/v1/stats?shop=main"
check "GET /v1/stats?shop=main is 200" equals "$HTTP" 200
check "... in the shop's zone, ISO weeks from Monday" jqs '.shop == "main" and .timezone == "Asia/Shanghai" and .week_start == "monday"'
check "... the last 26 weeks by default, ending with this one" jqs '.weeks == 26 and (.delistings | length) == 26 and .delistings[-1].week == "2026-W40" and .delistings[-1].start == "2026-09-28"'
check "... from Monday 00:00 Beijing time" jqs '.to == "2026-10-04T16:00:00Z"'
check "... the reasons seen" jqs '.reasons == ["ip_infringement","false_info","prohibited_words"]'
check "delistings per week by reason" jqs '[.delistings[-4:][] | [.week, .by_reason.ip_infringement, .by_reason.false_info, .by_reason.prohibited_words, .total]] == [["2026-W37",2,0,0,2],["2026-W38",1,1,0,2],["2026-W39",0,0,1,1],["2026-W40",0,0,0,0]]'
check "appeal outcomes by reason" jqs '[.appeals.by_reason[] | [.reason, .approved, .rejected, .pending, .total]] == [["ip_infringement",1,1,1,3],["false_info",1,0,0,1],["prohibited_words",0,0,0,0]] and .appeals.all == {"approved":2,"rejected":1,"pending":1,"total":4}'
check "days to reinstatement: median, p90, histogram" jqs '[.reinstatement.by_reason[] | [.reason, .reinstated, .median_days, .p90_days]] == [["ip_infringement",2,5,5.8],["false_info",1,9,9],["prohibited_words",0,null,null]] and .reinstatement.all.median_days == 6 and .reinstatement.all.p90_days == 8.4 and .reinstatement.all.histogram == [0,2,1,0,0,0] and .buckets == ["0-3","3-7","7-14","14-30","30-60","60+"]'
check "open cases at each week's end (now, this week)" jqs '[.open[-4:][] | [.week, .open]] == [["2026-W37",1],["2026-W38",3],["2026-W39",1],["2026-W40",1]] and .open[-1].at == .generated_at and .open[-2].at == "2026-09-27T16:00:00Z"'

api GET "/v1/stats?weeks=4"
check "for every shop, in the daemon's zone" jqs '.shop == null and .weeks == 4 and ([.delistings[] | .total] == [3,2,1,0]) and ([.open[] | .open] == [2,4,2,2]) and ([.appeals.by_reason[] | select(.reason == "false_info") | .rejected] == [1])'
api GET "/v1/stats?shop=eu&from=2026-09-07&to=2026-09-20"
check "eu: from and to, whole weeks in Berlin" jqs '.timezone == "Europe/Berlin" and .weeks == 2 and .from == "2026-09-06T22:00:00Z" and ([.delistings[] | .by_reason.false_info] == [1,0])'

csv() { curl -sS --unix-socket "$SOCK" -D "$T/h" "http://localhost/v1/stats?$1"; }
OUTC=$(csv "shop=main&weeks=4&chart=delistings&format=csv" | tr -d '\r')
check "CSV of the delistings, a header row first" equals "$OUTC" "$(printf 'week,week_start,ip_infringement,false_info,prohibited_words,total\n2026-W37,2026-09-07,2,0,0,2\n2026-W38,2026-09-14,1,1,0,2\n2026-W39,2026-09-21,0,0,1,1\n2026-W40,2026-09-28,0,0,0,0')"
check "... as text/csv, a file to download" grep -qi '^Content-Disposition: attachment; filename="delistd-delistings-main.csv"' "$T/h"
check "... Content-Type text/csv" grep -qi '^Content-Type: text/csv' "$T/h"
OUTC=$(csv "shop=main&chart=appeals&format=csv" | tr -d '\r')
check "CSV of the appeals" equals "$OUTC" "$(printf 'reason,approved,rejected,pending,total\nip_infringement,1,1,1,3\nfalse_info,1,0,0,1\nprohibited_words,0,0,0,0\nall,2,1,1,4')"
OUTC=$(csv "shop=main&chart=reinstatement&format=csv" | tr -d '\r')
check "CSV of the days to reinstatement" equals "$OUTC" "$(printf 'reason,reinstated,median_days,p90_days,days_0-3,days_3-7,days_7-14,days_14-30,days_30-60,days_60+\nip_infringement,2,5.0,5.8,0,2,0,0,0,0\nfalse_info,1,9.0,9.0,0,0,1,0,0,0\nprohibited_words,0,,,0,0,0,0,0,0\nall,3,6.0,8.4,0,2,1,0,0,0')"
OUTC=$(csv "shop=main&weeks=2&chart=open&format=csv" | tr -d '\r' | cut -d, -f1,2,4)
check "CSV of the open cases" equals "$OUTC" "$(printf 'week,week_start,open\n2026-W39,2026-09-21,1\n2026-W40,2026-09-28,1')"

for q in weeks=0 weeks=261 weeks=x "weeks=2&from=2026-09-07" from=2026-13-01 \
    "from=2026-10-01&to=2026-09-01" shop=no/such "chart=open" "format=csv" \
    "chart=pie&format=csv" format=xml colour=red "from=2000-01-03&to=2026-09-07"; do
	api GET "/v1/stats?$q"
	check "bad query $q: 400, the usual error" sh -c '[ "$1" = 400 ] && printf "%s" "$2" | jq -e ".error.code == \"bad_query\" and (.error.message | length > 0)" >/dev/null' _ "$HTTP" "$BODY"
done
api GET "/v1/stats?shop=nosuch"
check "an unknown shop: 404" sh -c '[ "$1" = 404 ] && printf "%s" "$2" | jq -e ".error.code == \"not_found\"" >/dev/null' _ "$HTTP" "$BODY"

# --- delistctl stats -------------------------------------------------------
run ctl stats main --weeks 4
check "delistctl stats main --weeks 4" expect_rc 0
diag "$OUT"
check "... says the weeks and the zone" contains "$OUT" "Statistics of main, weeks 2026-W37 to 2026-W40 (ISO weeks from Monday 00:00, Asia/Shanghai)"
row() { printf '%s\n' "$OUT" | awk -v k="$1" '$1 == k { $1 = $1; print; exit }'; }
check "... the delistings of week 38" equals "$(row 2026-W38)" "2026-W38 2026-09-14 1 1 0 2"
check "... the columns aligned, headed by reason" sh -c 'printf "%s\n" "$1" | grep -q "^WEEK      FROM        ip_infringement  false_info  prohibited_words  TOTAL$"' _ "$OUT"
check "... appeal outcomes of ip_infringement" sh -c 'printf "%s\n" "$1" | grep -Eq "^ip_infringement +1 +1 +1 +3$"' _ "$OUT"
check "... all appeals" sh -c 'printf "%s\n" "$1" | grep -Eq "^all +2 +1 +1 +4$"' _ "$OUT"
check "... days to reinstatement" sh -c 'printf "%s\n" "$1" | grep -Eq "^ip_infringement +2 +5\.0 +5\.8 +0 +2 +0 +0 +0 +0$" && printf "%s\n" "$1" | grep -Eq "^all +3 +6\.0 +8\.4 +0 +2 +1 +0 +0 +0$"' _ "$OUT"
check "... open at week 38's end, in Beijing time" sh -c 'printf "%s\n" "$1" | grep -Eq "^2026-W38 +2026-09-21 00:00 CST \(Asia/Shanghai\) +3$"' _ "$OUT"
run ctl --json stats --weeks 4
check "delistctl --json stats is the daemon's answer" sh -c 'printf "%s" "$1" | jq -e ".shop == null and .weeks == 4" >/dev/null' _ "$OUT"
run ctl stats --weeks x
check "delistctl stats --weeks x: refused" sh -c '[ "$1" != 0 ] && case "$2" in *"--weeks: \"x\" is not a number of weeks"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
run ctl stats "$(printf 'x%.0s' $(seq 70))"
check "delistctl stats with a 70-letter shop: refused before asking" sh -c '[ "$1" != 0 ] && case "$2" in *"is not a shop name"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
run ctl stats nosuch
check "delistctl stats nosuch: the daemon's 404" sh -c '[ "$1" != 0 ] && case "$2" in *"no shop \"nosuch\""*) ;; *) exit 1;; esac' _ "$RC" "$ERR"

# --- the Statistics page in a browser --------------------------------------
WEB=http://$(ctl --json status | jq -r .web.listen)
for f in /stats.html /stats.css /stats.js /svgchart.js; do
	check "CSP on $f" sh -c 'curl -sS -D - -o /dev/null "$1$2" | grep -qi "^Content-Security-Policy: default-src '\''self'\''"' _ "$WEB" "$f"
done
check "GET /v1/stats on the web listener needs a session (401)" sh -c '[ "$(curl -sS -o /dev/null -w "%{http_code}" "$1/v1/stats")" = 401 ]' _ "$WEB"
. "$top_srcdir/tests/integration/browser.sh"
if browser_found; then
	printf '%s\n' correct-horse-42 > "$T/pw"
	check "a viewer for the page" ctl user add vera --role viewer --password-file "$T/pw"
	SHOTS=$top_builddir/tests/integration/stats-shots
	mkdir -p "$SHOTS"
	WEB=$WEB PW=correct-horse-42 SHOTS=$SHOTS CHROME=$CHROME DRIVER=$DRIVER \
	    DELISTCTL=$DELISTCTL SOCK=$SOCK \
	    timeout 300 "$PY" "$top_srcdir/tests/integration/web_stats.py" > "$T/py.out" 2> "$T/py.err"
	browser_report $? "$T/py.out" "$T/py.err"
fi
stop_daemon
finish
