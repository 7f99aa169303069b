#!/bin/sh
# SPDX-License-Identifier: ISC
# api.sh: the control API spoken with curl --unix-socket, as a script would.
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf"
sed -i 's|log_level = "debug";|log_level = "debug"; max_clients = 2; client_timeout = "3s";|' "$conf"
check "delistd starts" start_daemon "$conf"

api GET /v1/status
check "GET /v1/status answers 200" equals "$HTTP" 200
check "... with JSON naming the state dir" contains "$BODY" "\"state_dir\": \"$STATE\""

is_error() { # STATUS CODE: the last answer is that JSON error
	[ "$HTTP" = "$1" ] || { echo "HTTP $HTTP, want $1: $BODY"; return 1; }
	printf '%s' "$BODY" | grep -q "\"code\": \"$2\"" || { echo "$BODY"; return 1; }
	printf '%s' "$BODY" | grep -q '"message": "' || { echo "$BODY"; return 1; }
}
api GET /v1/nothing-here
check "an unknown route is 404 with a JSON error" is_error 404 not_found
api DELETE /v1/status
check "a wrong method is 405 with a JSON error" is_error 405 method_not_allowed
check "... naming the allowed methods" contains "$BODY" "allowed: GET"
api POST /v1/reload -H 'Content-Type: application/json' --data '{"broken":'
check "a body that is not JSON is 400" is_error 400 bad_json
api POST /v1/reload --data '[1,2]'
check "a body that is not a JSON object is 400" is_error 400 bad_json
head -c 1100000 /dev/zero | tr '\0' 'x' > "$T/big"
api POST /v1/reload --data-binary "@$T/big"
check "a body over 1 MiB is 413 with a JSON error" is_error 413 body_too_large
pad=$(head -c 9000 /dev/zero | tr '\0' 'h')
api GET /v1/status -H "X-Pad: $pad"
check "headers over 8 KiB are refused" sh -c '[ "$1" -ge 400 ] && [ "$1" -lt 500 ]' _ "$HTTP"
check "the daemon still answers after bad requests" sock_up

api POST /v1/reload
check "POST /v1/reload answers 200 once reloaded" equals "$HTTP" 200
cp "$conf" "$T/good.conf"
printf 'rules: { max_appeals = -1; };\n' >> "$conf"
api POST /v1/reload
check "POST /v1/reload of a bad file answers 422 with the reason" is_error 422 config_invalid
check "... naming file:line and the key" contains "$BODY" "$conf:"
cp "$T/good.conf" "$conf"

api GET /metrics
check "GET /metrics answers 200" equals "$HTTP" 200
check "... in the Prometheus text format (promtool check metrics)" sh -c 'promtool check metrics < "$1"' _ "$T/body"
check "... with the build info and reload counters" sh -c 'grep -q "^delistd_build_info{version=" "$1" && grep -q "^delistd_reloads_total{result=\"failed\"} 1" "$1"' _ "$T/body"

# A client that connects and says nothing is dropped after client_timeout.
nc -U "$SOCK" < /dev/zero > /dev/null 2>&1 &
idle=$!
fifo=$T/hold; mkfifo "$fifo"
check "an idle connection is closed by the daemon after client_timeout" wait_for 10 sh -c '! kill -0 "$1" 2>/dev/null' _ "$idle"

# max_clients (2 here): a third connection gets 503 until one goes away.
exec 3<>"$fifo"
nc -U "$SOCK" <&3 > "$T/h1.out" 2>&1 &
h1=$!
printf 'GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n' >&3
mkfifo "$T/hold2"
exec 4<>"$T/hold2"
nc -U "$SOCK" <&4 > "$T/h2.out" 2>&1 &
h2=$!
printf 'GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n' >&4
full() { api GET /v1/status; [ "$HTTP" = 503 ]; }
check "beyond max_clients a client gets 503" wait_for 10 full
check "... with a JSON error" is_error 503 too_many_clients
kill "$h1" "$h2" 2>/dev/null
exec 3>&- 4>&-
free() { api GET /v1/status; [ "$HTTP" = 200 ]; }
check "... and is served again once the others are gone" wait_for 10 free

# Bytes that are not UTF-8, echoed in an error, must not stop the daemon.
api GET '/v1/cases/%ff%fe'
check "a path segment that is not UTF-8 gets a JSON 400" is_error 400 bad_path
api GET '/v1/outbox?state=%ff'
check "a query value that is not UTF-8 gets a JSON 400" is_error 400 bad_query
api POST /v1/cases/1/appeals/4294967297/decision --data '{"decision":"approved"}'
check "an appeal number beyond int is not taken modulo 2^32" is_error 404 not_found
check "the daemon still answers" sock_up

stop_daemon TERM
check "delistd stops cleanly after all this" equals "$DAEMON_RC" 0
finish
