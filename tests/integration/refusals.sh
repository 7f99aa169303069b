#!/bin/sh
# SPDX-License-Identifier: ISC
# refusals.sh: what clients and files send that is not text, or too big,
# is refused cleanly, through the real delistd and delistctl (issue 15).
#
# A path with an encoded surrogate, an overlong form or a code point above
# U+10FFFF is a JSON 400 (it was a 500 once the handler's answer could not
# be rendered); a method HTTP does not know is a JSON 405 (not libevent's
# HTML 501); a vault upload whose name or issuer is not UTF-8, or whose
# name has an encoded NUL, is refused before anything is stored (it was
# stored, answered 500 and then missing from doc list); a reload refused
# with a byte that is not UTF-8 in its message is counted by status like
# by /metrics; a 1 MB bad value is quoted cut to 64 characters and "…" in
# the answer and the log; max_clients out of range is reported as written,
# not clamped; deliveries left for a sink a reload removed are a warning
# in status, naming the sink and the count.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

PLUGIN_DIR=$top_builddir/plugins/.libs
conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"

is_json_error() { # STATUS CODE: the last api answer
	[ "$HTTP" = "$1" ] || { echo "status $HTTP, want $1: $BODY"; return 1; }
	contains "$BODY" "\"code\": \"$2\""
}

# --- paths that are not UTF-8 ------------------------------------------------
for p in %ED%A0%80 %C0%AF %F4%90%80%80 %FF a%00b; do
	api POST "/v1/shops/$p/snooze" -d '{"for": "1h"}'
	check "a path with $p is a JSON 400" is_json_error 400 bad_path
done
api GET "/v1/cases/%ED%A0%80"
check "... on every route" is_json_error 400 bad_path
check "... saying why" contains "$BODY" "surrogate"
api FOO /v1/status
check "an unknown method is a JSON 405, not an HTML 501" is_json_error 405 unknown_method

# --- vault uploads: name and issuer --------------------------------------------
pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }
pdf "$T/a.pdf" one
ndocs() { find "$STATE/documents" -maxdepth 1 -type f 2>/dev/null | grep -c '/[0-9a-f]\{64\}$'; }
api POST "/v1/documents?type=ce&name=%FF.pdf" --data-binary "@$T/a.pdf"
check "a document name that is not UTF-8 is a 400" is_json_error 400 bad_query
check "... naming the field" contains "$BODY" "name"
api POST "/v1/documents?type=ce&name=a.pdf&issuer=T%ED%A0%80V" --data-binary "@$T/a.pdf"
check "an issuer with a surrogate is a 400" is_json_error 400 bad_query
api POST "/v1/documents?type=ce&name=a%00b.pdf" --data-binary "@$T/a.pdf"
check "a name with an encoded NUL is a 400, not cut short" is_json_error 400 bad_query
check "... saying so" contains "$BODY" "NUL"
check "nothing refused was stored" equals "$(ndocs)" 0
run ctl --json doc list
check "... doc list is empty" sh -c '! printf "%s" "$1" | grep -q sha256' _ "$OUT"
api POST "/v1/documents?type=ce&name=T%C3%9CV.pdf&issuer=T%C3%9CV" --data-binary "@$T/a.pdf"
check "a UTF-8 name and issuer are stored" equals "$HTTP" 201
run ctl doc show 1
check "... and doc show finds it" expect_rc 0

# --- a 1 MB bad value --------------------------------------------------------
head -c 1048000 /dev/zero | tr '\0' x > "$T/big"
printf '{"shop": "main", "product_id": "1005001000000001", "interval": "%s"}' \
    "$(cat "$T/big")" > "$T/big.json"
api POST /v1/listings --data-binary "@$T/big.json"
check "a 1 MB bad interval is a 400" is_json_error 400 bad_interval
check "... quoted cut to 64 characters and …" contains "$BODY" "$(head -c 64 "$T/big")…"
check "... no more" lacks "$BODY" "$(head -c 65 "$T/big")"
check "... not whole (answer of ${#BODY} bytes)" test "${#BODY}" -lt 1000

# --- a reload refused with bytes that are not UTF-8, or a huge value ---------
cp "$conf" "$T/good.conf"
printf 'shops = ( { name = "m\377\376"; } );\n' > "$T/shops"
write_config "$conf" "$(cat "$T/shops")"
run ctl reload
check "a reload with a bad byte in its message is refused" expect_rc 1
run ctl status
check "status counts the failure like /metrics" contains "$OUT" "0 ok, 1 failed"
api GET /metrics
check "... which counts it" contains "$BODY" 'delistd_reloads_total{result="failed"} 1'
run ctl --json status
check "... and quotes the message as text" contains "$OUT" '"last_error": "'
{
	printf 'daemon: { state_dir = "%s"; client_timeout = "' "$STATE"
	cat "$T/big"
	printf '"; };\nshops = ( { name = "main"; } );\n'
} > "$conf"
run ctl reload
check "a reload with a 1 MB bad duration is refused" expect_rc 1
check "... quoting it cut" contains "$ERR" "$(head -c 64 "$T/big")…"
check "... not whole (${#ERR} bytes)" test "${#ERR}" -lt 2000
longest() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/daemon.log"; }
check "... nor in the log (longest line: $(longest))" test "$(longest)" -lt 2000

# --- max_clients out of range ------------------------------------------------
write_config "$T/mc.conf"
sed -i 's|log_level = "debug";|max_clients = 99999999999999999999;|' "$T/mc.conf"
run "$DELISTD" -t -c "$T/mc.conf"
check "max_clients out of range is refused" expect_rc 1
check "... quoting the value given, not a clamped one" contains "$ERR" "99999999999999999999 is out of range (1 to 4096)"

# --- deliveries of a sink a reload removed -----------------------------------
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "erp"; module = "webhook"; url = "http://127.0.0.1:1/hook";
	timeout = "2s"; events = [ "case.*" ]; retry_base = "1h"; retry_cap = "2h"; } );
CONF
run ctl reload
check "a reload adds the sink erp (a port nobody listens on)" expect_rc 0
run ctl case open main 1005001000000002 --reason other
check "a case is opened" expect_rc 0
tried() { ctl --json outbox | grep -q '"attempts": 1'; }
check "... its event waits in the outbox for erp" wait_for 20 tried
run ctl status
check "... which is no warning while erp is configured" lacks "$OUT" "erp"
write_config "$conf" 'shops = ( { name = "main"; } );'
run ctl reload
check "a reload removes erp" expect_rc 0
run ctl --json status
check "status warns of the deliveries left for it" contains "$OUT" '"code": "outbox.orphaned"'
run ctl status
check "... delistctl status says the sink and the count" contains "$OUT" "warning      1 delivery is pending for sink erp"

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
