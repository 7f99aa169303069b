#!/bin/sh
# SPDX-License-Identifier: ISC
# board.sh: the Board computed by the daemon (GET /v1/cases?view=board):
# open cases only, nearest deadline first, paged by limit and offset,
# filtered by shop, state, reason, assignee (or nobody), mine and overdue,
# with the counts over every open case and the values of each filter; on
# the socket and, with "mine", over the web listener; bad queries refused.
. "$(dirname "$0")/lib.sh"

for c in curl jq; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done

conf=$T/delistd.conf
write_config "$conf" "
web: { listen = \"127.0.0.1:0\"; root = \"$top_srcdir/daemon/web\"; };
shops = ( { name = \"main\"; timezone = \"Asia/Shanghai\"; },
	{ name = \"eu\"; timezone = \"Europe/Berlin\"; } );"
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
T0=1791000000
H=3600
setclock $T0
PW=correct-horse-42
printf '%s\n' "$PW" > "$T/pw"

check "delistd starts" start_daemon "$conf"
WEB=http://$(ctl --json status | jq -r .web.listen)
ctl user add olga --role operator --password-file "$T/pw" >/dev/null

# A: appealed at T0 (feedback due at T0 + 72 h); B, C, D opened an hour
# apart (their stall watches due in that order, after A's feedback).
# E: closed, never on the Board.
printf 'We removed the words "best quality" from the title.\n' > "$T/stmt.txt"
open() { # SHOP PID REASON
	ctl track "$1" "$2" >/dev/null && ctl case open "$1" "$2" --reason "$3"
}
CA=$(open main 1005000000000001 prohibited_words)
ctl case appeal "$CA" --platform-case 5012345678 --statement "$T/stmt.txt" --force >/dev/null
setclock $((T0 + H))
CB=$(open eu 1005000000000002 missing_certification)
ctl case assign "$CB" olga >/dev/null
setclock $((T0 + 2 * H))
CC=$(open main 1005000000000003 other)
ctl case ack "$CC" >/dev/null
setclock $((T0 + 3 * H))
CD=$(open eu 1005000000000004 false_info)
CE=$(open main 1005000000000005 other)
ctl case abandon "$CE" >/dev/null
check "five cases, one abandoned" test -n "$CA" -a -n "$CB" -a -n "$CC" -a -n "$CD" -a -n "$CE"
# A's feedback is now past; the stall watches are not.
setclock $((T0 + 72 * H + 60))

ids() { printf '%s' "$BODY" | jq -r '[.cases[].id] | map(tostring) | join(" ")'; }
board() { api GET "/v1/cases?view=board$1"; }

board ""
check "the Board: 200" equals "$HTTP" 200
check "... the open cases, nearest deadline first (the overdue one first)" equals "$(ids)" "$CA $CB $CC $CD"
check "... the same order as the deadlines of the full list say" sh -c '
	curl -sS --unix-socket "$1" http://localhost/v1/cases | jq -r "
	    [.cases[] | select(.state | IN(\"synced\",\"abandoned\",\"closed\") | not)
	     | {id, d: ([.deadlines[] | select(. != null)] | min)}]
	    | sort_by(.d == null, .d, .id) | map(.id | tostring) | join(\" \")" |
	grep -qx "$2"' _ "$SOCK" "$CA $CB $CC $CD"
check "... how many match" equals "$(printf '%s' "$BODY" | jq .total)" 4
check "... the counts over every open case" equals "$(printf '%s' "$BODY" | jq -c .counts)" '{"open":4,"overdue":1,"mine":0,"unacknowledged":3}'
check "... the values of the filters" equals "$(printf '%s' "$BODY" | jq -S -c .facets)" '{"assignee":["olga"],"reason":["false_info","missing_certification","other","prohibited_words"],"shop":["eu","main"],"state":["appealed","open"]}'
check "... each row as the list gives it (deadlines, zone, assignee, ack)" sh -c 'printf "%s" "$1" | jq -e ".cases[0].deadlines.feedback_due_at != null and .cases[0].timezone == \"Asia/Shanghai\" and .cases[1].assignee == \"olga\" and .cases[2].ack != null"' _ "$BODY"

# The order the full list's deadlines give (jq), for any moment.
list_order() {
	curl -sS --unix-socket "$SOCK" http://localhost/v1/cases | jq -r "
	    [.cases[] | select(.state | IN(\"synced\",\"abandoned\",\"closed\") | not)
	     | {id, o: .opened_at, d: ([.deadlines[] | select(. != null)] | min)}]
	    | sort_by(.d == null, .d, (if .d == null then .o else 0 end), .id)
	    | map(.id | tostring) | join(\" \")"
}
board "&limit=2"
check "limit=2: the first two" equals "$(ids)" "$CA $CB"
check "... of 4" equals "$(printf '%s' "$BODY" | jq .total)" 4
board "&limit=2&offset=2"
check "offset=2: the next two" equals "$(ids)" "$CC $CD"
board "&limit=2&offset=4"
check "offset past the end: none" equals "$(ids)" ""

board "&shop=eu"
check "shop=eu" equals "$(ids)" "$CB $CD"
check "... counts still over every open case" equals "$(printf '%s' "$BODY" | jq .counts.open),$(printf '%s' "$BODY" | jq .total)" "4,2"
board "&state=appealed"
check "state=appealed" equals "$(ids)" "$CA"
board "&reason=other"
check "reason=other (the abandoned case is not on the Board)" equals "$(ids)" "$CC"
board "&assignee=olga"
check "assignee=olga" equals "$(ids)" "$CB"
board "&assignee=-"
check "assignee=- (nobody)" equals "$(ids)" "$CA $CC $CD"
board "&overdue=1"
check "overdue=1" equals "$(ids)" "$CA"
board "&overdue=1&shop=eu"
check "filters combine" equals "$(ids)" ""

board "&mine=1"
check "mine=1 on the socket is refused (400)" equals "$HTTP" 400
check "... saying why" contains "$BODY" "mine=1 needs a console session"
rm -f "$T/jar"
curl -sS -c "$T/jar" -o /dev/null -d "{\"name\":\"olga\",\"password\":\"$PW\"}" "$WEB/v1/login"
BODY=$(curl -sS -b "$T/jar" "$WEB/v1/cases?view=board&mine=1")
check "over the web, mine=1: olga's case" equals "$(ids)" "$CB"
check "... and counts.mine" equals "$(printf '%s' "$BODY" | jq .counts.mine)" 1

# A decision takes A's appeal deadlines away, a note re-arms nothing: the
# order follows what was written (kept by the store's triggers).
ctl case decision "$CA" --rejected "the title still says best" >/dev/null
board ""
check "after a decision the order still follows the deadlines" equals "$(ids)" "$(list_order)"
check "... A is no longer first" sh -c '[ "${1%% *}" != "$2" ]' _ "$(ids)" "$CA"
ctl case appeal "$CA" --platform-case 5012345679 --statement "$T/stmt.txt" --force >/dev/null
board ""
check "a new appeal puts A back by its feedback deadline" equals "$(ids)" "$(list_order)"

for q in "&limit=0" "&limit=501" "&offset=-1" "&overdue=2" "&mine=yes"; do
	board "$q"
	check "$q is refused (400)" sh -c '[ "$1" = 400 ] && case "$2" in *bad_query*) ;; *) exit 1;; esac' _ "$HTTP" "$BODY"
done
api GET "/v1/cases?view=list"
check "an unknown view is refused (400)" sh -c '[ "$1" = 400 ] && case "$2" in *bad_view*) ;; *) exit 1;; esac' _ "$HTTP" "$BODY"
api GET "/v1/cases"
check "without view, the list is every case as before (5)" equals "$(printf '%s' "$BODY" | jq '.cases | length')" 5
run ctl cases
check "delistctl cases still lists them" contains "$OUT" "$CD"

stop_daemon
finish
