#!/bin/sh
# SPDX-License-Identifier: ISC
# case-close.sh: a case ends only on what was really seen, through the real
# delistd, the real aliexpress plugin, tests/fakes/fake_aliexpress and a
# fake_webhook sink (the ERP), on the test clock.
#
# A case opened by hand on a listing the source then sees on sale is not
# reinstated (the ERP is not told to resume): it raises one
# listing.on_sale_during_case, never repeated at later checks. A case opened
# by hand on a listing the source then sees delisted, then on sale, is
# reinstated as before. A tro case (opened by hand, or by the source and
# classified tro) seen delisted then on sale stays open, with the warning
# and no case.reinstated; it ends with delistctl case close --outcome:
# dismissed reinstates it (the ERP hears case.reinstated, the case is
# synced), judgment closes it (case.closed, no case.reinstated); a missing
# note, an unknown outcome, a case that is no tro and a finished case are
# refused and change nothing.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }
command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP sqlite3 is missing"; exit 0; }

HOOK=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$top_builddir/tests/fakes/fake_aliexpress" "$HOOK" \
    "$PLUGIN_DIR/aliexpress.so" "$PLUGIN_DIR/webhook.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

HOOK_PID=
trap 'main_shell && { [ -z "$HOOK_PID" ] || kill "$HOOK_PID" 2>/dev/null; cleanup; }' EXIT

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1795572000 # 2026-11-25T00:00:00Z
echo $NOW > "$T/clock"
tick() { NOW=$(($NOW + $1)); setclock "$NOW"; }

APPKEY=34567890
TOKEN=ae-Token-5d31aa
printf 'ae-Secret-91c2e7\n' > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"

check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"
"$HOOK" --port-file "$T/hook.port" --log "$T/hook.log" 2>>"$T/fake.err" &
HOOK_PID=$!
check "fake_webhook starts" wait_for 10 test -s "$T/hook.port"
HOOKURL=http://127.0.0.1:$(cat "$T/hook.port")

on_sale() { fake_product "{\"product_id\":\"$1\",\"status\":\"onSelling\"}"; }
delisted() { fake_product "{\"product_id\":\"$1\",\"status\":\"offline\",\"ws_display\":\"punish_offline\"}"; }
checks() { stat_of '.calls_by_method["aliexpress.postproduct.redefining.findaeproductbyid"] // 0'; }
checks_over() { [ "$(checks)" -gt "$1" ]; }
status_is() {
	[ "$(ctl --json listings | jq -r ".listings[] | select(.product_id == \"$1\") | .status")" = "$2" ]
}
case_of() {
	ctl --json listings | jq -r ".listings[] | select(.product_id == \"$1\") | .open_case // empty"
}
has_case() { [ -n "$(case_of "$1")" ]; }
state_of() { ctl --json case show "$1" | jq -r .state; }
state_is() { [ "$(state_of "$1")" = "$2" ]; }
n_events() {
	ctl --json events | jq "[.events[] | select(.type == \"$1\" and .case == $2)] | length"
}
n_all_events() { ctl --json events | jq '.events | length'; }
obs_is() {
	[ "$(sqlite3 "$STATE/delistd.db" "SELECT obs_count FROM listings WHERE product_id = '$1'")" = "$2" ]
}
n_events_is() { [ "$(n_events "$1" "$2")" = "$3" ]; }
# ev_has JQ: an event of the trail passes the jq filter.
ev_has() { ctl --json events | jq -e ".events[] | $1" >/dev/null; }
state_not() { ! state_is "$1" "$2"; }
# refused PATTERN: the last run failed (exit 1) saying PATTERN.
refused() { [ "$RC" = 1 ] && contains "$ERR" "$1"; }
hook_has() { grep -q "event=$1 .*case=$2 " "$T/hook.log"; }
hook_n() { grep -c "event=$1 .*case=$2 " "$T/hook.log"; }

P1=1005007100000001 # by hand, seen on sale only
P2=1005007100000002 # by hand, seen delisted, then on sale
P3=1005007100000003 # tro by hand, seen delisted, then on sale
P4=1005007100000004 # opened by the source, classified tro
P5=1005007100000005 # opened by the source before the sightings were kept

fake_product "{\"products\":[
 {\"product_id\":\"$P1\",\"status\":\"onSelling\",\"subject\":\"Silk scarf\"},
 {\"product_id\":\"$P2\",\"status\":\"onSelling\",\"subject\":\"Wool hat\"},
 {\"product_id\":\"$P3\",\"status\":\"onSelling\",\"subject\":\"Phone case\"},
 {\"product_id\":\"$P4\",\"status\":\"onSelling\",\"subject\":\"LED lamp\"},
 {\"product_id\":\"$P5\",\"status\":\"onSelling\",\"subject\":\"Desk fan\"}]}"

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "15m";
	    recheck_interval = "30m"; confirm_checks = 2; confirm_spacing = "2m"; } );
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  rate = 20.0; burst = 5; daily_quota = 5000; },
	{ name = "erp"; module = "webhook"; url = "$HOOKURL/hook";
	  events = [ "case.reinstated", "case.closed",
		     "listing.on_sale_during_case" ];
	  retry_base = "1s"; retry_cap = "2s"; }
);
CONF
check "delistd starts with the aliexpress source" start_daemon "$conf"
for p in $P1 $P2 $P3 $P4 $P5; do
	ctl track main $p >/dev/null || fail "track main $p"
done
for p in $P1 $P2 $P3 $P4 $P5; do
	check "$p is checked: on_sale" wait_for 10 status_is $p on_sale
done

# --- cases by hand; the source sees P2 and P3 delisted, P1 on sale --------
delisted $P2
delisted $P3
delisted $P4
delisted $P5
c0=$(checks)
C1=$(ctl case open main $P1 --reason prohibited_words)
C2=$(ctl case open main $P2 --reason false_info)
C3=$(ctl case open main $P3 --reason tro)
check "three cases are opened by hand" test -n "$C1" -a -n "$C2" -a -n "$C3"
check "a case opened by hand has its listing checked at once" wait_for 10 checks_over $((c0 + 2))
check "... $P1 is seen on sale once" wait_for 10 obs_is $P1 1
tick 1801
check "the second on-sale check confirms $P1 on sale" wait_for 10 status_is $P1 on_sale
check "$P4 is seen delisted once" wait_for 10 obs_is $P4 1
tick 121
check "the source opens a case for $P4" wait_for 10 has_case $P4
check "... and for $P5" wait_for 10 has_case $P5
C4=$(case_of $P4)
C5=$(case_of $P5)

# (1) opened by hand, only ever seen on sale: no reinstatement.
check "on sale, never seen off sale: listing.on_sale_during_case" wait_for 10 \
    n_events_is listing.on_sale_during_case "$C1" 1
check "... the case stays open" state_is "$C1" open
check "... no case.reinstated" equals "$(n_events case.reinstated "$C1")" 0
check "... the warning says why" ev_has "select(.type == \"listing.on_sale_during_case\" and .case == $C1 and .data.why == \"not_seen_off_sale\" and .severity == \"warning\" and (.message | test(\"case reinstated\")))"
check "... and the ERP gets it" wait_for 10 hook_has listing.on_sale_during_case "$C1"

# --- back on sale: P2 reinstated; the tro cases stay open -----------------
check "delistctl case classify names $P4's case tro" ctl case classify "$C4" tro
# A database from before the sightings were kept: only its trail says that
# the source saw P5 delisted during the case.
stop_daemon
sqlite3 "$STATE/delistd.db" "DELETE FROM listing_risks WHERE case_id = $C5" ||
    fail "forget the sighting of $P5"
check "delistd starts again" start_daemon "$conf"
on_sale $P2
on_sale $P3
on_sale $P4
on_sale $P5
c0=$(checks)
tick 1801
on_sale_seen() { obs_is $P2 1 && obs_is $P3 1 && obs_is $P4 1 && obs_is $P5 1; }
check "the first on-sale checks are made" wait_for 10 on_sale_seen
tick 121
# (2) opened by hand, seen delisted, then on sale: reinstated as before.
check "seen delisted, then on sale: the hand-opened case is reinstated" wait_for 10 state_not "$C2" open
check "... the ERP hears case.reinstated" wait_for 10 hook_has case.reinstated "$C2"
check "... and the case is synced" wait_for 10 state_is "$C2" synced
check "... without a warning" equals "$(n_events listing.on_sale_during_case "$C2")" 0
check "a case whose trail has listing.delisted is reinstated" wait_for 10 hook_has case.reinstated "$C5"
check "... without a warning" equals "$(n_events listing.on_sale_during_case "$C5")" 0
# (3) a tro case never reinstates from observation.
for c in $C3 $C4; do
	check "tro case $c seen on sale: listing.on_sale_during_case" wait_for 10 \
	    n_events_is listing.on_sale_during_case "$c" 1
	check "... it stays open" state_is "$c" open
	check "... no case.reinstated" equals "$(n_events case.reinstated "$c")" 0
	check "... the warning points to case close" ev_has "select(.type == \"listing.on_sale_during_case\" and .case == $c and .data.why == \"tro_awaits_outcome\" and (.message | test(\"case close\")))"
done

# --- later checks: the warnings are not repeated --------------------------
c0=$(checks)
tick 1801
check "the listings are checked again" wait_for 10 checks_over $((c0 + 2))
c0=$(checks)
tick 1801
check "... and again" wait_for 10 checks_over $((c0 + 2))
for c in $C1 $C3 $C4; do
	check "case $c: still one listing.on_sale_during_case" equals "$(n_events listing.on_sale_during_case "$c")" 1
	check "... still open" state_is "$c" open
done
check "the ERP got one warning per case" equals "$(hook_n listing.on_sale_during_case "$C3")" 1

# --- case close: refusals change nothing ----------------------------------
n0=$(n_all_events)
run ctl case close "$C3" --outcome dismissed
check "case close without --note is refused" refused "needs --note"
run ctl case close "$C3" --outcome won --note "we won"
check "an unknown outcome is refused, naming the outcomes" refused 'unknown outcome "won" (one of: dismissed, settled, judgment, lost)'
run ctl case close "$C3" --outcome dismissed --note ""
check "an empty note is refused" expect_rc 1
run ctl case close "$C1" --outcome dismissed --note "rights holder withdrew"
check "a case that is no tro takes no outcome" refused "only a tro case"
api POST "/v1/cases/$C1/close" -d '{"outcome":"dismissed","note":"x"}'
check "... answered 409" equals "$HTTP" 409
check "... with the code not_tro" contains "$BODY" '"not_tro"'
api POST "/v1/cases/$C3/close" -d '{"outcome":"dismissed"}'
check "the API refuses a missing note" equals "$HTTP" 400
check "the refusals changed nothing" equals "$(n_all_events)" "$n0"
check "... case $C3 is open" state_is "$C3" open
check "... case $C1 is open" state_is "$C1" open

# --- dismissed: the listing may sell, the ERP resumes it ------------------
run ctl case close "$C3" --outcome dismissed --note "plaintiff dismissed 26-cv-01234 for this shop"
check "case close --outcome dismissed is taken" expect_rc 0
check "... and says so" contains "$OUT" "outcome dismissed recorded"
check "... the ERP hears case.reinstated" wait_for 10 hook_has case.reinstated "$C3"
check "... the case is synced" wait_for 10 state_is "$C3" synced
check "... the trail keeps the outcome and the note" ev_has "select(.type == \"case.reinstated\" and .case == $C3 and .data.outcome == \"dismissed\" and (.data.note | test(\"26-cv-01234\")))"

# --- judgment: closed, not resumed ----------------------------------------
run ctl case close "$C4" --outcome judgment --note "default judgment, funds released to plaintiff"
check "case close --outcome judgment is taken" expect_rc 0
check "... the case is closed" state_is "$C4" closed
check "... the ERP hears case.closed" wait_for 10 hook_has case.closed "$C4"
check "... and no case.reinstated" equals "$(n_events case.reinstated "$C4")" 0
check "... the trail keeps the outcome" ev_has "select(.type == \"case.closed\" and .case == $C4 and .data.outcome == \"judgment\")"
n0=$(n_all_events)
run ctl case close "$C4" --outcome settled --note "too late"
check "a finished case takes no outcome" refused "case is closed"
check "... and nothing changed" equals "$(n_all_events)" "$n0"
check "... it is still closed" state_is "$C4" closed

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
