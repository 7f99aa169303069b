#!/bin/sh
# SPDX-License-Identifier: ISC
# source.sh: the source scheduler through the real delistd, the real
# aliexpress plugin and tests/fakes/fake_aliexpress, on the test clock.
#
# A listing goes onSelling -> offline/punish_offline: one glitch
# observation opens nothing, two open a case (reason unclassified, the
# platform code, listing.delisted, case.needs_classification) with the API
# answer archived and the page snapshot fetched (or its failure recorded);
# delistctl case classify names the reason; back onSelling it is reinstated
# after two observations and the fake_webhook sink gets case.reinstated.
# user_offline opens nothing; editingRequired is a warning; the sweep finds
# a delisted listing nobody tracked; a restart (kill -9) between the two
# confirming observations loses nothing and doubles nothing; malformed JSON
# is an error, opens nothing and is retried; a refused token raises
# source.auth_failed once and no case, and source.recovered once the token
# file changes. A listing taken down again before its reinstatement is
# synced adds listing.delisted to its case, not a second case, and the
# case goes back to open (the late acknowledgement does not sync it).
# A 5xx during the auth outage raises no source.recovered.
# delistctl import takes a CSV (also with Excel's byte order mark), or
# refuses it all with line numbers (a control character in a title too);
# an imported title is compared for evasion; catalog_sync learns the
# listings on sale, and leaves one the seller untracked alone; a sweep
# every minute does not hurry a confirmation (confirm_spacing); a listing
# with an open case is re-checked unpaced; a check still in flight long
# after it was due is not started a second time.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_aliexpress
HOOK=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$HOOK" "$PLUGIN_DIR/aliexpress.so" "$PLUGIN_DIR/webhook.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

FAKE_PID=
HOOK_PID=
stop_fakes() {
	for p in $FAKE_PID $HOOK_PID; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	FAKE_PID= HOOK_PID=
}
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
trap 'main_shell && { stop_fakes; cleanup; }' EXIT

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1795572000 # 2026-11-25T00:00:00Z, 08:00 in Beijing
echo $NOW > "$T/clock"
clock_is() { ctl --json status | jq -e ".now == $1" >/dev/null; }
# tick SECONDS: moves the test clock on, waits until the daemon has seen it.
tick() {
	NOW=$((NOW + $1))
	echo "$NOW" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	[ -z "$DAEMON_PID" ] || wait_for 5 clock_is "$NOW"
}

APPKEY=34567890
SECRET=ae-Secret-91c2e7
TOKEN=ae-Token-5d31aa
printf '%s\n' "$SECRET" > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"

check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"
"$HOOK" --port-file "$T/hook.port" --log "$T/hook.log" 2>>"$T/fake.err" &
HOOK_PID=$!
check "fake_webhook starts" wait_for 10 test -s "$T/hook.port"
HOOKURL=http://127.0.0.1:$(cat "$T/hook.port")

# product JSON: sets a product's state in the fake.
product() {
	[ "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -d "$1" \
	    "$AE/_fake/product")" = 200 ] || fail "the fake takes product $1"
}
checks() { stat_of '.calls_by_method["aliexpress.postproduct.redefining.findaeproductbyid"] // 0'; }
checks_over() { [ "$(checks)" -gt "$1" ]; }
# status_of PID: the listing's status as delistctl lists it.
status_of() {
	ctl --json listings | jq -r ".listings[] | select(.product_id == \"$1\") | .status"
}
status_is() { [ "$(status_of "$1")" = "$2" ]; }
case_of() {
	ctl --json listings | jq -r ".listings[] | select(.product_id == \"$1\") | .open_case // empty"
}
has_case() { [ -n "$(case_of "$1")" ]; }
no_case() { [ -z "$(case_of "$1")" ]; }
# jq_has FILTER CMD...: CMD's JSON output passes the jq filter.
jq_has() { _jq=$1; shift; "$@" | jq -e "$_jq" >/dev/null; }
state_is() { [ "$(ctl --json case show "$1" | jq -r .state)" = "$2" ]; }
state_not() { [ "$(ctl --json case show "$1" | jq -r .state)" != "$2" ]; }
events_json() { ctl --json events; }
n_events() { events_json | jq "[.events[] | select(.type == \"$1\" and (.product_id == \"$2\" or \"$2\" == \"\"))] | length"; }
has_event() { [ "$(n_events "$1" "${2:-}")" -ge 1 ]; }
obs_count() { sqlite3 "$STATE/delistd.db" "SELECT obs_count FROM listings WHERE product_id = '$1'"; }
obs_is() { [ "$(obs_count "$1")" = "$2" ]; }

P1=1005007000000001 # tracked; a glitch, then a real delisting, then back
P2=1005007000000002 # taken offline by the seller
P3=1005007000000003 # delisted, found by the sweep, restart in between
P4=1005007000000004 # failed review
P5=1005007000000005 # for the malformed answer

product "{\"products\":[
 {\"product_id\":\"$P1\",\"status\":\"onSelling\",\"subject\":\"Silk scarf\",\"images\":[\"https://img.example/1.jpg\"]},
 {\"product_id\":\"$P2\",\"status\":\"onSelling\",\"subject\":\"Wool hat\"},
 {\"product_id\":\"$P4\",\"status\":\"onSelling\",\"subject\":\"LED lamp\"},
 {\"product_id\":\"$P5\",\"status\":\"onSelling\",\"subject\":\"Phone case\"}]}"

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = (
	{ name = "main"; source = "ae"; sweep_interval = "15m";
	  recheck_interval = "30m"; confirm_checks = 2; confirm_spacing = "2m";
	  snapshot_url = "$HOOKURL/item/{product_id}.html"; },
	{ name = "eu"; }
);
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  rate = 20.0; burst = 5; daily_quota = 5000; },
	{ name = "erp"; module = "webhook"; url = "$HOOKURL/hook";
	  events = [ "case.reinstated" ]; retry_base = "1s"; retry_cap = "2s"; }
);
CONF

# --- configuration errors --------------------------------------------------
cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$STATE"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; snapshot_url = "ftp://x/{product_id}";
	    confirm_spacing = "1s"; catalog_sync = "yes"; },
	  { name = "eu"; snapshot_url = "https://x/item.html"; } );
plugins = ( { name = "erp"; module = "webhook"; url = "$HOOKURL/h";
	      rate = 0; burst = 0; daily_quota = 0; } );
CONF
run "$DELISTD" -t -c "$T/bad.conf"
check "bad source keys are refused" expect_rc 1
check "... a snapshot_url that is not http(s), with file:line" contains "$ERR" "bad.conf:2: shops[0].snapshot_url:"
check "... one without {product_id}" contains "$ERR" "shops[1].snapshot_url: \"https://x/item.html\" does not say where the product ID goes"
check "... confirm_spacing out of range" contains "$ERR" 'shops[0].confirm_spacing: "1s" is out of range'
check "... catalog_sync not a boolean" contains "$ERR" "shops[0].catalog_sync: expected true or false"
check "... rate, burst, daily_quota out of range" sh -c 'case "$1" in *"plugins[0].rate: 0 is out of range"*"plugins[0].burst: 0"*"plugins[0].daily_quota: 0"*) ;; *) exit 1;; esac' _ "$ERR"
sed -i 's/rate = 0; burst = 0; daily_quota = 0;/rate = 2;/; s/ snapshot_url = "ftp:[^;]*;//; s/confirm_spacing = "1s"; catalog_sync = "yes";//; s/ snapshot_url = "https:[^;]*;//' "$T/bad.conf"
run "$DELISTD" -t -c "$T/bad.conf"
check "a call budget on a sink is refused" contains "$ERR" "plugins.erp.rate: only a source has a call budget, and module webhook is not one"

run "$DELISTD" -t -c "$conf"
check "a source configuration passes delistd -t" expect_rc 0
check "delistd starts with the aliexpress source" start_daemon "$conf"
check "the first sweep is made" wait_for 10 sh -c \
    '[ "$(curl -sS "$1/_fake/stats" | jq ".calls_by_method[\"aliexpress.solution.product.list.get\"] // 0")" -ge 1 ]' _ "$AE"

# --- tracked listings: first status, title ---------------------------------
for p in $P1 $P2 $P4 $P5; do
	ctl track main $p >/dev/null || fail "track main $p"
done
for p in $P1 $P2 $P4 $P5; do
	check "tracked $p is checked: on_sale" wait_for 10 status_is $p on_sale
done
run ctl --json listings
check "the check's title is stored" contains "$OUT" '"title": "Silk scarf"'
check "a first status is no status change" equals "$(n_events listing.status_changed "")" 0

# --- one glitch opens nothing ------------------------------------------
product "{\"product_id\":\"$P1\",\"script\":[{\"status\":\"offline\",\"ws_display\":\"punish_offline\"}]}"
c0=$(checks)
tick 1801
check "after the recheck interval the listings are checked again" wait_for 10 checks_over $((c0 + 3))
check "one delisted observation is pending for $P1" wait_for 10 obs_is $P1 1
check "... and it is still on sale" status_is $P1 on_sale
c0=$(checks)
tick 121
check "the confirming check comes confirm_spacing later" wait_for 10 obs_is $P1 0
check "one glitch opens no case" no_case $P1
check "... and no listing.delisted" equals "$(n_events listing.delisted $P1)" 0

# --- two observations open a case, with evidence ---------------------------
product "{\"product_id\":\"$P1\",\"status\":\"offline\",\"ws_display\":\"punish_offline\",\"offline_date\":\"2026-11-25 09:30:00\"}"
tick 1801
check "the first delisted observation is pending" wait_for 10 obs_is $P1 1
check "... and opens nothing yet" no_case $P1
tick 121
check "the second opens a case" wait_for 10 has_case $P1
C1=$(case_of $P1)
run ctl --json case show "$C1"
check "the case is unclassified" contains "$OUT" '"reason": "unclassified"'
check "... with the platform's code" contains "$OUT" '"platform_code": "punish_offline"'
check "... and the offline date" contains "$OUT" '"offline_at": "2026-11-25T01:30:00Z"'
check "listing.delisted is raised" has_event listing.delisted $P1
check "case.needs_classification asks for a reason" has_event case.needs_classification $P1
check "listing.status_changed on_sale -> delisted" jq_has \
    '.events[] | select(.type == "listing.status_changed" and .data.from == "on_sale" and .data.to == "delisted")' ctl --json events
check "the snapshot is fetched" wait_for 10 jq_has \
    '.evidence[] | select(.kind == "snapshot" and .sha256 != null)' ctl --json case evidence "$C1"
run ctl case evidence "$C1"
check "case evidence lists the API answer and the snapshot" sh -c \
    'case "$1" in *api_response*snapshot*) ;; *) exit 1;; esac' _ "$OUT"
SHA=$(ctl --json case evidence "$C1" | jq -r '.evidence[] | select(.kind == "api_response") | .sha256')
run ctl case evidence "$C1" --get "$SHA"
check "case evidence --get gives the archived answer" contains "$OUT" punish_offline
check "... whose SHA-256 is its name" equals "$(ctl case evidence "$C1" --get "$SHA" | sha256sum | cut -d' ' -f1)" "$SHA"
check "the evidence file is 0600" equals "$(stat -c %a "$STATE/evidence/$SHA")" 600
check "the evidence dir is 0700" equals "$(stat -c %a "$STATE/evidence")" 700
run ctl case evidence "$C1" --get 0000000000000000000000000000000000000000000000000000000000000000
check "--get of a hash the case does not have is refused" expect_rc 1
run ctl case export "$C1"
check "the dossier lists the evidence" contains "$OUT" "| api_response |"
check "no secret in the evidence or the trail" sh -c \
    '! grep -rq -e "$1" -e "$2" "$3/evidence" && ! "$4" -s "$5" --json events | grep -q -e "$1" -e "$2"' \
    _ "$SECRET" "$TOKEN" "$STATE" "$DELISTCTL" "$SOCK"

# --- classify ----------------------------------------------------------
run ctl case classify "$C1" best_guess
check "classify refuses an unknown reason" sh -c '[ "$1" = 1 ] && case "$2" in *"unknown reason"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
run ctl case classify "$C1" prohibited_words --rule "absolute terms in the title"
check "case classify names the reason" expect_rc 0
run ctl --json case show "$C1"
check "... and the case has it" contains "$OUT" '"reason": "prohibited_words"'
check "... in the trail as case.classified" has_event case.classified $P1

# --- back on sale: reinstated after confirmation ---------------------------
product "{\"product_id\":\"$P1\",\"status\":\"onSelling\"}"
tick 1801
check "the first on-sale observation is pending" wait_for 10 obs_is $P1 1
check "... the case is still open" equals "$(ctl --json case show "$C1" | jq -r .state)" open
tick 121
check "the second reinstates the case" wait_for 10 state_not "$C1" open
check "the sink sees case.reinstated" wait_for 10 grep -q "event=case.reinstated.*case=$C1 " "$T/hook.log"
check "... and the case is synced" wait_for 10 state_is "$C1" synced

# --- user_offline opens nothing; editingRequired is a warning --------------
product "{\"product_id\":\"$P2\",\"status\":\"offline\",\"ws_display\":\"user_offline\"}"
product "{\"product_id\":\"$P4\",\"status\":\"editingRequired\"}"
tick 1801
wait_for 10 obs_is $P2 1
wait_for 10 obs_is $P4 1
tick 121
check "user_offline is seen as offline" wait_for 10 status_is $P2 offline
check "... and opens no case" no_case $P2
check "... nor a listing.delisted" equals "$(n_events listing.delisted $P2)" 0
check "editingRequired is failed_review" wait_for 10 status_is $P4 failed_review
check "... raised as a warning" jq_has \
    ".events[] | select(.type == \"listing.status_changed\" and .product_id == \"$P4\" and .severity == \"warning\")" ctl --json events

# --- the sweep finds a delisted listing; a restart between two checks ------
product "{\"product_id\":\"$P3\",\"status\":\"offline\",\"ws_display\":\"violate_offline\",\"subject\":\"Toy scooter\"}"
tick 901
check "the sweep finds $P3 and it is checked once" wait_for 10 obs_is $P3 1
check "... it is tracked now" has_event listing.tracked $P3
check "... no case yet" no_case $P3
stop_daemon KILL
# The page snapshot now comes from an address that answers 404.
sed "s|$HOOKURL/item/|$AE/item/|" "$conf" > "$conf.2"
check "delistd restarts after kill -9" start_daemon "$conf.2"
check "the pending observation survived" obs_is $P3 1
tick 121
check "the confirming check after the restart opens the case" wait_for 10 has_case $P3
tick 121
tick 121
check "exactly one case for $P3" equals "$(ctl --json cases | jq "[.cases[] | select(.product_id == \"$P3\")] | length")" 1
check "exactly one listing.delisted for $P3" equals "$(n_events listing.delisted $P3)" 1
C3=$(case_of $P3)
check "a failed snapshot is recorded, not fatal" wait_for 10 jq_has \
    '.evidence[] | select(.kind == "snapshot" and .sha256 == null and (.error | test("404")))' ctl --json case evidence "$C3"
run ctl case evidence "$C3"
check "... and case evidence says so" contains "$OUT" "failed: HTTP 404"

# --- malformed JSON: an error, no case, retried ----------------------------
tick 1801
wait_for 10 obs_is $P5 0
product "{\"product_id\":\"$P5\",\"status\":\"offline\",\"ws_display\":\"punish_offline\"}"
fake_mode '{"mode":"malformed"}'
c0=$(checks)
tick 1801
check "malformed answers are logged as failed checks" wait_for 10 grep -q "check of main/$P5 failed" "$T/daemon.log"
check "... and change nothing" status_is $P5 on_sale
fake_mode '{"mode":"normal"}'
c0=$(checks)
tick 31
check "the failed check is retried after its backoff" wait_for 10 obs_is $P5 1
check "... and no case came from the errors" no_case $P5
product "{\"product_id\":\"$P5\",\"status\":\"onSelling\"}"
tick 121

# --- a refused token: alert, no case, recovery -----------------------------
fake_mode '{"mode":"badtoken"}'
product "{\"product_id\":\"$P2\",\"status\":\"offline\",\"ws_display\":\"punish_offline\"}"
tick 1801
check "a refused token raises source.auth_failed" wait_for 10 has_event source.auth_failed
run ctl status
check "status says the source is refused" contains "$OUT" auth_failed
c0=$(checks)
tick 121
tick 121
check "no check is made while the credentials are refused" equals "$(checks)" "$c0"
check "source.auth_failed is raised once" equals "$(n_events source.auth_failed "")" 1
check "no case came from the refusals" no_case $P2
open_src_conditions() { ctl --json conditions | jq '[.conditions[] | select(.type == "source.auth_failed" and .subject == "ae")] | length'; }
check "the refusal is a condition reminded until taken on" equals "$(open_src_conditions)" 1
# A 5xx during the outage is no answer: it proves nothing about the token.
fake_mode '{"mode":"5xx"}'
printf '%s\n' "$TOKEN" > "$T/ae.token.new" && chmod 600 "$T/ae.token.new" && mv "$T/ae.token.new" "$T/ae.token"
tick 901
check "a 5xx during the outage is logged" wait_for 10 grep -q "sweep of main failed.*502" "$T/daemon.log"
check "... and raises no source.recovered" equals "$(n_events source.recovered "")" 0
check "... the source is still refused" contains "$(ctl status)" auth_failed
fake_mode '{"mode":"normal"}'
tick 901
check "with a new token file the next sweep gets answers: source.recovered" wait_for 10 has_event source.recovered
check "checks resume" wait_for 10 checks_over "$c0"
check "... and the condition is over: no more reminders" equals "$(open_src_conditions)" 0

# --- delisted again before the reinstatement is synced -------------------
curl -sS -o /dev/null -X POST --data fail500 "$HOOKURL/_mode"
product "{\"product_id\":\"$P3\",\"status\":\"onSelling\"}"
tick 1801
wait_for 10 obs_is $P3 1
tick 121
check "$P3 is reinstated, its sync held up by the sink" wait_for 10 state_is "$C3" reinstated
product "{\"product_id\":\"$P3\",\"status\":\"offline\",\"ws_display\":\"punish_offline\"}"
tick 1801
wait_for 10 obs_is $P3 1
tick 121
check "taken down again, the open case hears of it" wait_for 10 sh -c \
    '[ "$("$0" -s "$1" --json events --case "$2" | jq "[.events[] | select(.type == \"listing.delisted\")] | length")" = 2 ]' "$DELISTCTL" "$SOCK" "$C3"
check "... and no second case is opened" equals "$(ctl --json cases | jq "[.cases[] | select(.product_id == \"$P3\")] | length")" 1
check "... the case is open again" state_is "$C3" open
check "... and it is still the listing's open case" equals "$(case_of $P3)" "$C3"
curl -sS -o /dev/null -X POST --data ok "$HOOKURL/_mode"
tick 5
check "the held-up case.reinstated is delivered at last" wait_for 10 grep -q "event=case.reinstated.*case=$C3 " "$T/hook.log"
no_pending() { [ "$(ctl --json status | jq .outbox.pending)" = 0 ]; }
check "... and acknowledged" wait_for 10 no_pending
check "... but the case is not synced: the listing is off sale" state_is "$C3" open

# --- catalog_sync: the on-sale listings are learnt ------------------------
P6=1005007000000006
product "{\"product_id\":\"$P6\",\"status\":\"onSelling\",\"subject\":\"Bamboo tray\"}"
sed -i 's|confirm_spacing = "2m";|confirm_spacing = "2m"; catalog_sync = true;|' "$conf.2"
run ctl reload
check "a reload turns catalog_sync on" expect_rc 0
check "the catalog run tracks a listing nobody tracked" wait_for 10 sh -c \
    '"$0" -s "$1" --json listings | grep -q "\"product_id\": \"$2\""' "$DELISTCTL" "$SOCK" $P6
check "... with its title" contains "$(ctl --json listings)" '"title": "Bamboo tray"'
check "... on sale" status_is $P6 on_sale
catalogs() { grep -c "catalog of main done" "$T/daemon.log"; }
run ctl untrack main $P6
check "untrack a listing the catalog learnt" expect_rc 0
k0=$(catalogs)
tick 86401
check "the next day's catalog run lists it again" wait_for 10 sh -c '[ "$(grep -c "catalog of main done" "$1")" -gt "$2" ]' _ "$T/daemon.log" "$k0"
check "... but it stays untracked" equals "$(sqlite3 "$STATE/delistd.db" "SELECT tracked FROM listings WHERE product_id = '$P6'")" 0
check "... with no second listing.tracked" equals "$(n_events listing.tracked $P6)" 0

# --- import ------------------------------------------------------------
cat > "$T/good.csv" <<CSV
shop,product_id,title
main,1005007000000101,"Cotton socks, 3 pairs"
eu,1005007000000102
CSV
run ctl import "$T/good.csv"
check "import takes a CSV with a header" sh -c '[ "$1" = 0 ] && case "$2" in *"imported 2 listings (2 newly tracked)"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "... with its quoted title" contains "$(ctl --json listings)" '"title": "Cotton socks, 3 pairs"'
cat > "$T/bad.csv" <<CSV
main,1005007000000201
nosuch,1005007000000202
main,12ab
main
CSV
run ctl import "$T/bad.csv"
check "a bad CSV is refused" expect_rc 1
check "... naming line 2 (unknown shop)" contains "$ERR" "bad.csv:2: unknown shop"
check "... line 3 (product ID)" contains "$ERR" "bad.csv:3:"
check "... line 4 (fields)" contains "$ERR" "bad.csv:4:"
check "... and nothing is imported" lacks "$(ctl --json listings)" 1005007000000201
printf '\357\273\277shop,product_id,title\r\nmain,1005007000000103,Hat\r\n' > "$T/bom.csv"
run ctl import "$T/bom.csv"
check "a CSV saved by Excel (byte order mark, CRLF) is taken" sh -c '[ "$1" = 0 ] && case "$2" in *"imported 1 listings"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
printf 'main,1005007000000104,Ok\nmain,1005007000000105,"Bad\033[31mRED title"\n' > "$T/ctl.csv"
run ctl import "$T/ctl.csv"
check "a title with a control character is refused" expect_rc 1
check "... naming its line" contains "$ERR" "ctl.csv:2: the title has a control character"
check "... and nothing is imported" lacks "$(ctl --json listings)" 1005007000000104
printf 'main,1005007000000106,Toy scooter\n' > "$T/evade.csv"
run ctl import "$T/evade.csv"
check "an imported listing titled as one with an open case" expect_rc 0
check "... raises listing.evasion_risk" wait_for 10 has_event listing.evasion_risk 1005007000000106

# --- a sweep every minute keeps confirm_spacing -----------------------------
sweeps() { stat_of '.calls_by_method["aliexpress.solution.product.list.get"] // 0'; }
sweeps_over() { [ "$(sweeps)" -gt "$1" ]; }
P7=1005007000000007
product "{\"product_id\":\"$P7\",\"status\":\"offline\",\"ws_display\":\"violate_offline\",\"subject\":\"Kite\"}"
sed -i 's|sweep_interval = "15m";|sweep_interval = "1m";|; s|confirm_spacing = "2m";|confirm_spacing = "10m";|' "$conf.2"
run ctl reload
check "a reload takes sweep_interval 1m, confirm_spacing 10m" expect_rc 0
check "the sweep finds $P7: one observation" wait_for 10 obs_is $P7 1
i=0
while [ $i -lt 9 ]; do
	s0=$(sweeps)
	tick 61
	wait_for 10 sweeps_over "$s0" || fail "the sweep runs every minute"
	i=$((i + 1))
done
check "nine sweeps later (9 min < confirm_spacing): still no case" no_case $P7
check "... one observation counted" obs_is $P7 1
tick 61
check "after confirm_spacing the confirming check opens the case" wait_for 10 has_case $P7

# --- a late sweep keeps the cadence --------------------------------------
# A sweep that starts late (here 30 s, as behind a clock jump or a held
# rate) is followed by the next one a sweep_interval after it was due,
# not after it ran: a delisting waits at most sweep_interval for a sweep.
next_sweep() { sqlite3 "$STATE/delistd.db" "SELECT next_sweep_at FROM shops WHERE name = 'main'"; }
next_sweep_is() { [ "$(next_sweep)" = "$1" ]; }
next_sweep_ahead() { [ "$(next_sweep)" -gt "$NOW" ]; }
# The sweep of the last tick is done and its successor stored.
wait_for 10 next_sweep_ahead || fail "no next sweep after $NOW"
due=$(next_sweep)
s0=$(sweeps)
tick $((due + 30 - NOW))
check "a sweep 30 s late is made" wait_for 10 sweeps_over "$s0"
check "... and the next is due a minute after the late one was due" wait_for 10 next_sweep_is $((due + 60))
s0=$(sweeps)
tick 30
check "... and comes then, 30 s after the late one" wait_for 10 sweeps_over "$s0"

# --- an open case's listing is unpaced; a slow check is not doubled ------
lane_of() { sqlite3 "$STATE/delistd.db" "SELECT lane FROM listings WHERE product_id = '$1'"; }
lane_is() { [ "$(lane_of "$1")" = "$2" ]; }
checked_since() { [ "$(sqlite3 "$STATE/delistd.db" "SELECT checked_at FROM listings WHERE product_id = '$1'")" -ge "$2" ]; }
n_checking() { grep -c "checking main/$1" "$T/daemon.log"; }
stop_daemon
# As a database from before the lanes: a listing with an open case in lane 1.
sqlite3 "$STATE/delistd.db" "UPDATE listings SET lane = 1 WHERE product_id = '$P7'"
fake_mode '{"mode":"latency","latency_ms":8000}'
check "delistd restarts" start_daemon "$conf.2"
check "at start a listing with an open case goes to the unpaced lane" wait_for 3 lane_is $P7 0
k0=$(n_checking $P7)
tick 1801
check "its re-check is under way (each answer takes 8 s)" wait_for 30 sh -c '[ "$(grep -c "checking main/$1" "$2")" -gt "$3" ]' _ $P7 "$T/daemon.log" "$k0"
tick 121
check "the check still in flight is recorded when its answer comes" wait_for 30 checked_since $P7 "$NOW"
check "... and it was not started a second time meanwhile" equals "$(n_checking $P7)" $((k0 + 1))
fake_mode '{"mode":"normal"}'

# --- status, metrics ---------------------------------------------------------
run ctl --json status
check "status shows the source's plan" sh -c 'printf "%s" "$1" | jq -e ".sources[0].plan.fits == true and .sources[0].daily_quota == 5000"' _ "$OUT"
run ctl status
check "status prints the source line" contains "$OUT" "source ae"
api GET /metrics
check "/metrics has the source's calls" contains "$BODY" 'delistd_source_calls_total{source="ae",kind="check"}'
check "/metrics has the quota used" contains "$BODY" 'delistd_source_quota_used{source="ae"}'

stop_daemon
conf=$conf.2
check "delistd stops cleanly" equals "$DAEMON_RC" 0
check "the token never reached the log" sh -c '! grep -q -e "$1" -e "$2" "$3"' _ "$TOKEN" "$SECRET" "$T/daemon.log"
finish
