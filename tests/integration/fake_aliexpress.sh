#!/bin/sh
# SPDX-License-Identifier: ISC
# fake_aliexpress.sh: the fake AliExpress gateway (tests/fakes/fake_aliexpress)
# driven with curl, its requests signed by tests/fakes/ae_sign_cli.
#
# The integration tests of the aliexpress source rely on this fake behaving
# like the platform, so it is checked on its own: signatures (good, bad, on
# /rest with the path prefix), the timestamp window, the token under
# access_token or session, missing parameters and unknown methods; both
# answer shapes; the scripted status timeline; paging and filters of
# product.list.get; the per-second throttle and the daily quota with its
# reset at 00:00 Beijing time (on the fake's clock file); the token refresh;
# each fault mode with and without a count; and the stats. Secrets never
# appear in its log.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_aliexpress
SIGN=$top_builddir/tests/fakes/ae_sign_cli
for f in "$FAKE" "$SIGN"; do
	[ -x "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

FAKES=
stop_fakes() {
	for p in $FAKES; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	FAKES=
}
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
trap 'main_shell && { stop_fakes; cleanup; }' EXIT

APPKEY=34567890
SECRET=ae-Secret-9c1f0b7d
TOKEN=50000Tok-a1b2c3
REFRESH=50001Ref-d4e5f6
printf '%s\n' "$SECRET" > "$T/secret"
chmod 600 "$T/secret"
# 2026-11-28 11:00:00 UTC: 19:00 in Beijing.
NOW=1795863600
echo "$NOW" > "$T/clock"
CHECK=aliexpress.postproduct.redefining.findaeproductbyid
LIST=aliexpress.solution.product.list.get

# start NAME OPTIONS...: a fake whose port lands in $T/NAME.port.
start() {
	_n=$1; shift
	"$FAKE" --port-file "$T/$_n.port" --app-key "$APPKEY" \
	    --secret-file "$T/secret" --token "$TOKEN" \
	    --clock-file "$T/clock" --log "$T/$_n.log" --timeout 300 "$@" \
	    2>>"$T/fake.err" &
	FAKES="$FAKES $!"
	wait_for 10 test -s "$T/$_n.port"
}
check "the fake starts and writes its port" start main --refresh-token "$REFRESH"
check "a second fake with a QPS and a daily quota starts" \
    start flow --qps 2 --daily-quota 3
URL=http://127.0.0.1:$(cat "$T/main.port")
FLOW=http://127.0.0.1:$(cat "$T/flow.port")

now_ms() { echo "$(cat "$T/clock")000"; }

# post URL PATH BODY: HTTP status in HTTP, body in BODY.
post() {
	HTTP=$(curl -sS -m 10 -o "$T/body" -w '%{http_code}' -X POST \
	    -H 'Content-Type: application/x-www-form-urlencoded' \
	    --data-binary "$3" "$1$2" 2>"$T/curl.err")
	BODY=$(cat "$T/body" 2>/dev/null)
}
# call URL METHOD PARAM=VALUE...: a signed /sync call with the token.
call() {
	_u=$1; _m=$2; shift 2
	post "$_u" /sync "$("$SIGN" "$T/secret" app_key="$APPKEY" \
	    method="$_m" timestamp="$(now_ms)" sign_method=sha256 \
	    simplify=true access_token="$TOKEN" "$@")"
}
# ctl_post URL PATH JSON: a control request; its status in HTTP.
ctl_post() {
	HTTP=$(curl -sS -m 10 -o "$T/cbody" -w '%{http_code}' -X POST \
	    --data-binary "$3" "$1$2" 2>"$T/curl.err")
	CBODY=$(cat "$T/cbody" 2>/dev/null)
}
stats() { curl -sS -m 10 "$1/_fake/stats"; }
# stat_of URL NAME: one number from the stats.
stat_of() { stats "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }

# --- control ------------------------------------------------------------
ctl_post "$URL" /_fake/product '{"product_id":"1005001","status":"offline","ws_display":"punish_offline","subject":"Red dress","images":["https://img.example/1.jpg","https://img.example/2.jpg"],"offline_date":"2026-11-20 10:00:00"}'
check "a product is set" equals "$HTTP" 200
ctl_post "$URL" /_fake/product '{"product_id":"1005002","status":"sold-out"}'
check "an unknown status is refused with a reason" sh -c \
    '[ "$1" = 400 ] && case $2 in *status*) ;; *) exit 1 ;; esac' - "$HTTP" "$CBODY"
ctl_post "$URL" /_fake/product 'not json'
check "a control body that is not JSON is refused" equals "$HTTP" 400
ctl_post "$URL" /_fake/mode '{"mode":"sideways"}'
check "an unknown mode is refused" equals "$HTTP" 400

# --- signed calls -------------------------------------------------------
call "$URL" "$CHECK" product_id=1005001
check "a good call is answered (simplify: the bare DTO)" sh -c '
	case $1 in *"\"product_status_type\":\"offline\""*"\"ws_display\":\"punish_offline\""*) ;; *) exit 1 ;; esac
	case $1 in *_response*) exit 1 ;; esac' - "$BODY"
check "it carries the offline date, subject and images" sh -c '
	case $1 in *"\"ws_offline_date\":\"2026-11-20 10:00:00\""*) ;; *) exit 1 ;; esac
	case $1 in *"\"subject\":\"Red dress\""*) ;; *) exit 1 ;; esac
	case $1 in *"https://img.example/1.jpg;https://img.example/2.jpg"*) ;; *) exit 1 ;; esac' - "$BODY"

post "$URL" /sync "$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(now_ms)" sign_method=sha256 session="$TOKEN" \
    product_id=1005001)"
check "the token as session, simplify absent: the wrapped shape" sh -c '
	case $1 in "{\"aliexpress_postproduct_redefining_findaeproductbyid_response\":{\"result\":{"*) ;; *) exit 1 ;; esac' - "$BODY"

B=$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(now_ms)" sign_method=sha256 simplify=true \
    access_token="$TOKEN" product_id=1005001)
post "$URL" /sync "$(echo "$B" | sed 's/product_id=1005001/product_id=1005002/')"
check "a parameter changed after signing: IncompleteSignature" contains "$BODY" '"code":"IncompleteSignature"'
post "$URL" /sync "${B%sign=*}sign=$(echo "${B#*sign=}" | tr 'A-F' 'a-f')"
check "a lower-case signature is refused too" contains "$BODY" IncompleteSignature
post "$URL" /sync "$("$SIGN" "$T/secret" app_key=99999 method="$CHECK" \
    timestamp="$(now_ms)" sign_method=sha256 access_token="$TOKEN" \
    product_id=1005001)"
check "another app key is refused" contains "$BODY" InvalidAppKey
post "$URL" /sync "$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(( $(cat "$T/clock") - 7300 ))000" sign_method=sha256 \
    access_token="$TOKEN" product_id=1005001)"
check "a timestamp over 7200 s off its clock is refused" contains "$BODY" InvalidTimestamp
post "$URL" /sync "$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(( $(cat "$T/clock") - 7000 ))000" sign_method=sha256 \
    access_token="$TOKEN" product_id=1005001)"
check "one within 7200 s is taken" contains "$BODY" product_status_type
call "$URL" "$CHECK"
check "a missing product_id: MissingParameter" contains "$BODY" MissingParameter
post "$URL" /sync "app_key=$APPKEY&method=$CHECK&product_id=1"
check "no signature at all: MissingParameter" contains "$BODY" MissingParameter
call "$URL" aliexpress.no.such.method
check "an unknown method: InvalidApiPath" contains "$BODY" InvalidApiPath
post "$URL" /sync "$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(now_ms)" sign_method=sha256 simplify=true \
    access_token=wrong-token product_id=1005001)"
check "a wrong token: IllegalAccessToken, at the top level with simplify" \
    sh -c 'case $1 in "{\"type\":\"ISV\",\"code\":\"IllegalAccessToken\""*) ;; *) exit 1 ;; esac' - "$BODY"
call "$URL" "$CHECK" product_id=4242
check "an unknown product: success=false inside the result" sh -c '
	case $1 in *"\"success\":false"*"does not exist"*) ;; *) exit 1 ;; esac' - "$BODY"
check "the bad signatures are counted" equals "$(stat_of "$URL" bad_signatures)" 2

# --- a scripted timeline ------------------------------------------------
ctl_post "$URL" /_fake/product '{"product_id":"1005003","status":"onSelling","subject":"Hat","script":[{"status":"offline","ws_display":"violate_offline"},{"status":"auditing"},{"status":"absent"}]}'
seq=
for i in 1 2 3 4 5; do
	call "$URL" "$CHECK" product_id=1005003
	seq="$seq $(echo "$BODY" | sed -n 's/.*"product_status_type":"\([a-zA-Z]*\)".*/\1/p')"
	case $BODY in *"does not exist"*) seq="$seq-" ;; esac
done
check "the script plays one state per call, then the current one" \
    equals "$seq" " offline auditing - onSelling onSelling"

# --- product.list.get ---------------------------------------------------
json='{"products":['
i=0
while [ $i -lt 150 ]; do
	json="$json{\"product_id\":\"$((2000000 + i))\",\"status\":\"offline\",\"ws_display\":\"punish_offline\",\"subject\":\"item $i\"},"
	i=$((i + 1))
done
json="$json{\"product_id\":\"3000000\",\"status\":\"offline\",\"ws_display\":\"user_offline\"}]}"
ctl_post "$URL" /_fake/product "$json"
check "151 products set at once" equals "$HTTP" 200
q() { echo "{\"product_status_type\":\"$1\",${2:+\"ws_display\":\"$2\",}\"current_page\":$3,\"page_size\":$4}"; }
ids() { echo "$BODY" | grep -o '"product_id":[0-9]*' | wc -l | tr -d ' '; }
call "$URL" "$LIST" aeop_a_e_product_list_query="$(q offline punish_offline 1 99)"
check "page 1 of the punished: 99 items of 2 pages (151 with 1005001)" sh -c '
	[ "$1" = 99 ] && case $2 in *"\"total_page\":2"*"\"current_page\":1"*) ;; *) exit 1 ;; esac' - "$(ids)" "$BODY"
check "simplify: the list is a plain array" contains "$BODY" '"aeop_a_e_product_display_d_t_o_list":[{'
call "$URL" "$LIST" aeop_a_e_product_list_query="$(q offline punish_offline 2 99)"
check "page 2: the other 52" equals "$(ids)" 52
call "$URL" "$LIST" aeop_a_e_product_list_query="$(q offline user_offline 1 20)"
check "ws_display filters" sh -c '[ "$1" = 1 ] && case $2 in *3000000*) ;; *) exit 1 ;; esac' - "$(ids)" "$BODY"
call "$URL" "$LIST" aeop_a_e_product_list_query="$(q offline punish_offline 1 100)"
check "page_size 100 is refused inside the result" contains "$BODY" '"success":false'
post "$URL" /sync "$("$SIGN" "$T/secret" app_key="$APPKEY" method="$LIST" \
    timestamp="$(now_ms)" sign_method=sha256 access_token="$TOKEN" \
    aeop_a_e_product_list_query="$(q onSelling "" 1 50)")"
check "wrapped: the list in item_display_dto" contains "$BODY" '"aeop_a_e_product_display_d_t_o_list":{"item_display_dto":[{'

# --- throttle and quota -------------------------------------------------
ctl_post "$FLOW" /_fake/product '{"product_id":"7","status":"onSelling"}'
# Six calls signed beforehand, then sent by one curl back to back: within
# a second or two however loaded the machine is.
B=$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(now_ms)" sign_method=sha256 simplify=true \
    access_token="$TOKEN" product_id=7)
set --
for i in 1 2 3 4 5 6; do
	[ $i = 1 ] || set -- "$@" --next
	set -- "$@" -sS -m 10 -w '\n' -X POST --data-binary "$B" "$FLOW/sync"
done
curl "$@" > "$T/flow.answers" 2>"$T/curl.err"
check "over 2 calls a second: ApiCallLimit with its ban" \
    grep -q '"code":"ApiCallLimit","msg":"Api access frequency exceeds the limit. this ban will last 1 seconds"' "$T/flow.answers"
check "the throttled calls are counted" test "$(stat_of "$FLOW" throttled)" -ge 1
check "the calls per second are counted" test "$(stat_of "$FLOW" max_calls_per_second)" -ge 3
served=$(grep -c product_status_type "$T/flow.answers")
check "at most 3 calls served in its day, then the quota" test "$served" -le 3
wait_for 5 sh -c '[ "$(date +%s)" != "$1" ]' - "$(date +%s)"
: > "$T/flow.answers"
for i in 1 2 3 4; do
	call "$FLOW" "$CHECK" product_id=7
	echo "$BODY" >> "$T/flow.answers"
	case $BODY in *limited-by-app-access-count*) break ;; esac
	wait_for 5 sh -c '[ "$(date +%s)" != "$1" ]' - "$(date +%s)"
done
# 19:00 in Beijing: 5 hours to its midnight.
check "the daily quota: code 7, its sub-code, the seconds to 00:00 Beijing" \
    grep -q '"code":"7","msg":"App Call Limited".*"sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 18000 more seconds"' "$T/flow.answers"
check "the quota refusals are counted" test "$(stat_of "$FLOW" quota_refused)" -ge 1
echo $((NOW + 5 * 3600)) > "$T/clock"
call "$FLOW" "$CHECK" product_id=7
check "00:00 Beijing time passed on its clock: served again" contains "$BODY" product_status_type
echo "$NOW" > "$T/clock"

# --- token refresh ------------------------------------------------------
refresh() {
	post "$URL" /rest/auth/token/refresh "$("$SIGN" $1 "$T/secret" \
	    app_key="$APPKEY" timestamp="$(now_ms)" sign_method=sha256 \
	    refresh_token="$2")"
}
refresh "" "$REFRESH"
check "a refresh signed without the path prefix is refused" contains "$BODY" IncompleteSignature
refresh "-p /auth/token/refresh" wrong-refresh
check "a wrong refresh token: IllegalRefreshToken, /rest shape" sh -c '
	case $1 in "{\"type\":\"ISV\",\"code\":\"IllegalRefreshToken\",\"message\":"*) ;; *) exit 1 ;; esac' - "$BODY"
refresh "-p /auth/token/refresh" "$REFRESH"
NEWTOKEN=$(echo "$BODY" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
check "a good refresh: new tokens, expires_in, expire_time in ms" sh -c '
	[ -n "$2" ] && [ "$2" != "$3" ] &&
	case $1 in *"\"refresh_token\":\"fake-rt-"*"\"expires_in\":86400"*"\"expire_time\":1795950000000"*) ;; *) exit 1 ;; esac' - "$BODY" "$NEWTOKEN" "$TOKEN"
call "$URL" "$CHECK" product_id=1005001
check "the old token is refused after a refresh" contains "$BODY" IllegalAccessToken
OLDTOKEN=$TOKEN
TOKEN=$NEWTOKEN
call "$URL" "$CHECK" product_id=1005001
check "the new token is taken" contains "$BODY" product_status_type
refresh "-p /auth/token/refresh" "$REFRESH"
check "the old refresh token is spent" contains "$BODY" IllegalRefreshToken
check "refreshes are counted" equals "$(stat_of "$URL" refreshes)" 1
ctl_post "$URL" /_fake/token "{\"token\":\"$OLDTOKEN\"}"
TOKEN=$OLDTOKEN
call "$URL" "$CHECK" product_id=1005001
check "/_fake/token sets the accepted token" contains "$BODY" product_status_type

# --- fault modes --------------------------------------------------------
ctl_post "$URL" /_fake/mode '{"mode":"5xx","count":1}'
call "$URL" "$CHECK" product_id=1005001
check "5xx: a 502 with an HTML body" sh -c '[ "$1" = 502 ] && case $2 in *"<html>"*) ;; *) exit 1 ;; esac' - "$HTTP" "$BODY"
call "$URL" "$CHECK" product_id=1005001
check "count 1: then normal again" sh -c '[ "$1" = 200 ] && case $2 in *product_status_type*) ;; *) exit 1 ;; esac' - "$HTTP" "$BODY"
ctl_post "$URL" /_fake/mode '{"mode":"malformed"}'
call "$URL" "$CHECK" product_id=1005001
first=$BODY
call "$URL" "$CHECK" product_id=1005001
check "malformed: not JSON, until changed" sh -c '
	case $1$2 in "{"*|*"product_status_type\":\"offline\""*) exit 1 ;; esac' - "$first" "$BODY"
ctl_post "$URL" /_fake/mode '{"mode":"truncated","count":1}'
call "$URL" "$CHECK" product_id=1005001
check "truncated: the answer cut in the middle" sh -c '
	case $1 in "{\"product_id\":1005001,"*"}") exit 1 ;; "{\"product_id\":1005001,"*) ;; *) exit 1 ;; esac' - "$BODY"
for m in throttle quota badtoken; do
	ctl_post "$URL" /_fake/mode "{\"mode\":\"$m\",\"count\":1}"
	call "$URL" "$CHECK" product_id=1005001
	echo "$BODY" > "$T/mode.$m"
done
check "mode throttle: ApiCallLimit" grep -q ApiCallLimit "$T/mode.throttle"
check "mode quota: the daily-quota sub-code" grep -q limited-by-app-access-count "$T/mode.quota"
check "mode badtoken: IllegalAccessToken" grep -q IllegalAccessToken "$T/mode.badtoken"
ctl_post "$URL" /_fake/mode '{"mode":"latency","latency_ms":400,"count":1}'
t0=$(date +%s%N)
call "$URL" "$CHECK" product_id=1005001
t1=$(date +%s%N)
check "latency: the normal answer, 400 ms late" sh -c '
	[ $(( ($3 - $2) / 1000000 )) -ge 400 ] &&
	case $1 in *product_status_type*) ;; *) exit 1 ;; esac' - "$BODY" "$t0" "$t1"
ctl_post "$URL" /_fake/mode '{"mode":"hang","count":1}'
HTTP=$(curl -sS -m 1 -o /dev/null -w '%{http_code}' -X POST --data-binary \
    "$("$SIGN" "$T/secret" app_key="$APPKEY" method="$CHECK" \
    timestamp="$(now_ms)" sign_method=sha256 access_token="$TOKEN" \
    product_id=1005001)" "$URL/sync" 2>/dev/null)
check "hang: no answer (curl gives up)" equals "$HTTP" 000
call "$URL" "$CHECK" product_id=1005001
check "after the hung call the fake answers again" contains "$BODY" product_status_type

# --- stats and log ------------------------------------------------------
S=$(stats "$URL")
check "stats count calls by method" sh -c '
	case $1 in *"\"calls_by_method\":{"*"\"aliexpress.solution.product.list.get\":5"*"\"/auth/token/refresh\":4"*) ;; *) exit 1 ;; esac' - "$S"
check "the log has a line per call" test "$(grep -c '^n=' "$T/main.log")" -ge 40
check "the log and stats never show a token or the secret" sh -c '
	! grep -q -e "$1" -e "$2" -e "$3" -e "$4" "$5" "$6" && case $7 in *"$1"*|*"$2"*) exit 1 ;; esac' \
    - "$SECRET" "$OLDTOKEN" "$NEWTOKEN" "$REFRESH" "$T/main.log" "$T/flow.log" "$S"
stop_fakes
check "it exits cleanly on SIGTERM" sh -c '! grep -q . "$1"' - "$T/fake.err"
diag "$(cat "$T/fake.err")"

finish
