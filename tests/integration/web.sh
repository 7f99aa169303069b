#!/bin/sh
# SPDX-License-Identifier: ISC
# web.sh: the web console's server side through the real daemon and curl
# on 127.0.0.1 (a free port: listen on port 0, read it from status).
#
# The setup link (expiry on the test clock, single use), login, a wrong
# password, the lockout, logout; 401 without a session, 403 for a
# viewer's change and for a change without the CSRF header, with nothing
# changed; an operator's note over TCP in the trail as web:<user>; the
# security headers; delistctl user add/list/passwd/rm (the password never
# printed nor in the trail); case assign over both; a non-loopback listen
# refused by delistd -t; static files and path traversal.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }

conf=$T/delistd.conf
write_config "$conf" "
web: { listen = \"127.0.0.1:0\"; root = \"$top_srcdir/daemon/web\"; };
shops = ( { name = \"main\"; } );"

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
T0=1791000000
setclock $T0

PW=correct-horse-42
P1=1005001234567890

# web METHOD PATH [curl args]: over TCP with the cookie jar $T/jar; the
# status in HTTP, the body in BODY, the headers in $T/hdr.
web() {
	_w_m=$1; _w_p=$2; shift 2
	HTTP=$(curl -sS -b "$T/jar" -c "$T/jar" -D "$T/hdr" -o "$T/wbody" \
	    -w '%{http_code}' -X "$_w_m" "$@" "$WEB$_w_p" 2>"$T/curl.err")
	BODY=$(cat "$T/wbody" 2>/dev/null)
}
# as USER: a fresh jar logged in as USER (password $PW); its CSRF token
# in CSRF.
as() {
	rm -f "$T/jar"
	web POST /v1/login -d "{\"name\":\"$1\",\"password\":\"$PW\"}"
	CSRF=$(printf '%s' "$BODY" | jq -r .csrf_token)
	[ "$HTTP" = 200 ]
}
headers_ok() {
	grep -qi "^Content-Security-Policy: default-src 'self'; frame-ancestors 'none'" "$T/hdr" &&
	    grep -qi '^X-Content-Type-Options: nosniff' "$T/hdr" &&
	    grep -qi '^Referrer-Policy: same-origin' "$T/hdr"
}
setup_token() { grep -o 'setup?token=[0-9a-f]*' "$T/daemon.log" | tail -n 1 | cut -d= -f2; }
note_count() { ctl --json case show "$C1" | jq '[.trail[] | select(.type == "case.note")] | length'; }

# --- a non-loopback listen without TLS is refused ----------------------
write_config "$T/open.conf" '
web: {
	listen = "0.0.0.0:8470";
};'
run "$DELISTD" -t -c "$T/open.conf"
check "delistd -t refuses a non-loopback listen without TLS (exit 1)" expect_rc 1
check "... naming the file and line" contains "$ERR" "$T/open.conf:7: web.listen: 0.0.0.0:8470 is not a loopback address"
check "... and insecure_bind" contains "$ERR" "insecure_bind"
write_config "$T/open2.conf" '
web: { listen = "0.0.0.0:8470"; insecure_bind = true; };'
run "$DELISTD" -t -c "$T/open2.conf"
check "... unless insecure_bind = true" expect_rc 0
write_config "$T/bad.conf" 'web: { listen = "localhost"; };'
run "$DELISTD" -t -c "$T/bad.conf"
check "delistd -t refuses a listen without a port" contains "$ERR" "is not an address"

# --- the setup link -----------------------------------------------------
check "delistd starts with web.listen" start_daemon "$conf"
WEB=http://$(ctl --json status | jq -r .web.listen)
check "status names the web listener" contains "$WEB" "http://127.0.0.1:"
check "the start-up log prints the console's address" grep -q "web console on $WEB/" "$T/daemon.log"
run ctl status
check "delistctl status prints it" contains "$OUT" "web console  $WEB/"
TOK=$(setup_token)
check "with no user yet, the log has a setup link" test -n "$TOK"

web GET /v1/status
check "an unauthenticated /v1/status over TCP is 401" equals "$HTTP" 401
check "... with the security headers" headers_ok
web GET "/setup?token=$TOK"
check "GET /setup is a form" contains "$BODY" '<form method="post" action="/setup">'
check "... with the security headers" headers_ok

setclock $((T0 + 3600))
web POST /setup -d "{\"token\":\"$TOK\",\"name\":\"alice\",\"password\":\"$PW\"}"
check "the setup link expires after 1 h on the daemon's clock (410)" equals "$HTTP" 410
check "... and says so" contains "$BODY" setup_expired
stop_daemon
check "... and created nobody" sh -c '[ "$(sqlite3 "$1" "SELECT count(*) FROM web_users")" = 0 ]' _ "$STATE/delistd.db"
: > "$T/daemon.log"
check "a restart with no user yet makes a new link" start_daemon "$conf"
WEB=http://$(ctl --json status | jq -r .web.listen)
TOK2=$(setup_token)
check "... another token" sh -c '[ -n "$1" ] && [ "$1" != "$2" ]' _ "$TOK2" "$TOK"
web POST /setup -d "{\"token\":\"$(printf '%064d' 0)\",\"name\":\"alice\",\"password\":\"$PW\"}"
check "a wrong setup token is 403" equals "$HTTP" 403
web POST /setup -d "token=$TOK2&name=alice&password=$PW"
check "the setup link (a form post) creates the first admin (201)" equals "$HTTP" 201
check "... an admin" contains "$BODY" '"role": "admin"'
web POST /setup -d "token=$TOK2&name=mallory&password=$PW"
check "the setup link is single-use (410)" equals "$HTTP" 410
run ctl user list
check "user list shows the admin" contains "$OUT" "alice"
check "... and not the second setup" lacks "$OUT" "mallory"

# --- login, wrong password, logout --------------------------------------
check "alice logs in" as alice
check "... the cookie is HttpOnly and SameSite=Strict" grep -qi '^Set-Cookie: delistd_session=[0-9a-f]*; Path=/; HttpOnly; SameSite=Strict' "$T/hdr"
check "... the answer has a CSRF token" sh -c 'expr "$1" : "[0-9a-f]\{64\}$" >/dev/null' _ "$CSRF"
web GET /v1/status
check "with the session, /v1/status over TCP is 200" equals "$HTTP" 200
check "... with the security headers" headers_ok
web GET /v1/session
check "GET /v1/session names the user and the role" sh -c 'printf "%s" "$1" | jq -e ".user == \"alice\" and .role == \"admin\" and .csrf_token == \"$2\"" >/dev/null' _ "$BODY" "$CSRF"
check "the session is stored as a hash, not the token" sh -c '! sqlite3 "$1" "SELECT token_sha256 FROM web_sessions" | grep -q "$(sed -n "s/.*delistd_session[[:space:]]*//p" "$2")"' _ "$STATE/delistd.db" "$T/jar"
web POST /v1/logout -H "X-CSRF-Token: $CSRF"
check "logout is 200" equals "$HTTP" 200
web GET /v1/status
check "... after it, the session is over (401)" equals "$HTTP" 401

rm -f "$T/jar"
web POST /v1/login -d "{\"name\":\"alice\",\"password\":\"wrong-password\"}"
check "a wrong password is 401" equals "$HTTP" 401
check "... bad_login" contains "$BODY" bad_login
web POST /v1/login -d "{\"name\":\"nobody\",\"password\":\"$PW\"}"
check "an unknown name is the same 401" equals "$HTTP" 401

# --- users over the socket ------------------------------------------------
run sh -c "printf '%s\n' '$PW' | \"\$1\" -s \"\$2\" user add victor --role viewer" _ "$DELISTCTL" "$SOCK"
check "user add reads the password from stdin" expect_rc 0
check "... and never prints it" lacks "$OUT$ERR" "$PW"
TTYPASS=$top_srcdir/tests/integration/ttypass.py
run python3 "$TTYPASS" "$PW" "$PW" "$DELISTCTL" -s "$SOCK" user add tess --role viewer
check "user add on a terminal asks for the password twice" sh -c '[ "$1" = 0 ] && case "$2" in *"Password: "*"Again: "*"user tess added as viewer"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "... without echoing it" lacks "$OUT" "$PW"
run python3 "$TTYPASS" "$PW" "another-one-99" "$DELISTCTL" -s "$SOCK" user add tim --role viewer
check "... and refuses two different ones (exit 1)" sh -c '[ "$1" = 1 ] && case "$2" in *"the passwords differ"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "... without echoing either" sh -c 'case "$1" in *"$2"*|*another-one-99*) exit 1;; esac' _ "$OUT" "$PW"
rm -f "$T/jar"
web POST /v1/login -d "{\"name\":\"tess\",\"password\":\"$PW\"}"
check "... the password typed on the terminal works" equals "$HTTP" 200
run ctl user rm tess
printf '%s\n' "$PW" > "$T/pw"
run ctl user add otto --role operator --password-file "$T/pw"
check "user add --password-file" expect_rc 0
run ctl user add otto --role operator --password-file "$T/pw"
check "user add refuses a taken name (exit 1)" expect_rc 1
run ctl user add eve --role root --password-file "$T/pw"
check "user add refuses an unknown role" contains "$ERR" "viewer, operator, admin"
printf 'short\n' > "$T/short"
run ctl user add eve --role viewer --password-file "$T/short"
check "user add refuses a short password" contains "$ERR" "8 to"
run ctl user list
check "user list shows the roles" sh -c 'printf "%s\n" "$1" | grep -q "^otto  *operator" && printf "%s\n" "$1" | grep -q "^victor  *viewer"' _ "$OUT"
check "... and no password" lacks "$OUT" "$PW"
run ctl --json user list
check "... nor a hash in JSON" lacks "$OUT" '$y$'

# --- roles ---------------------------------------------------------------
run ctl track main $P1
run ctl case open main $P1 --reason prohibited_words
C1=$OUT
check "a case to work on" sh -c 'expr "$1" : "[0-9][0-9]*$" >/dev/null' _ "$C1"
check "victor (viewer) logs in" as victor
web GET "/v1/cases/$C1"
check "a viewer reads a case" equals "$HTTP" 200
web POST "/v1/cases/$C1/notes" -H "X-CSRF-Token: $CSRF" -d '{"text":"viewer note"}'
check "a viewer's POST is 403" equals "$HTTP" 403
check "... forbidden, naming the role" contains "$BODY" "needs the operator role"
check "... and changed nothing" equals "$(note_count)" 0

check "otto (operator) logs in" as otto
web POST "/v1/cases/$C1/notes" -d '{"text":"no csrf header"}'
check "a POST without the CSRF header is 403" equals "$HTTP" 403
check "... csrf" contains "$BODY" '"csrf"'
web POST "/v1/cases/$C1/notes" -H "X-CSRF-Token: $(printf '%064d' 0)" -d '{"text":"wrong csrf"}'
check "a POST with another CSRF token is 403" equals "$HTTP" 403
check "... and neither changed anything" equals "$(note_count)" 0
web POST "/v1/cases/$C1/notes" -H "X-CSRF-Token: $CSRF" -d '{"text":"called the category manager"}'
check "an operator's note over TCP is 201" equals "$HTTP" 201
run ctl case show "$C1"
check "... and is in delistctl case show with web:otto as actor" sh -c 'printf "%s\n" "$1" | grep "web:otto" | grep -q "case.note"' _ "$OUT"
web POST /v1/users -H "X-CSRF-Token: $CSRF" -d "{\"name\":\"zed\",\"role\":\"admin\",\"password\":\"$PW\"}"
check "an operator cannot add users (403)" equals "$HTTP" 403
web POST /v1/reload -H "X-CSRF-Token: $CSRF"
check "... nor reload (403)" equals "$HTTP" 403

# --- case assign ----------------------------------------------------------
web POST "/v1/cases/$C1/assign" -H "X-CSRF-Token: $CSRF" -d '{"user":"otto"}'
check "case assign over TCP is 200" equals "$HTTP" 200
check "... the case JSON has the assignee" sh -c 'printf "%s" "$1" | jq -e ".assignee == \"otto\"" >/dev/null' _ "$BODY"
run ctl case show "$C1"
check "case show names the assignee" sh -c 'printf "%s\n" "$1" | grep -q "^assignee  *otto"' _ "$OUT"
check "... and case.assigned by web:otto is in the trail" sh -c 'printf "%s\n" "$1" | grep "case.assigned" | grep -q "web:otto"' _ "$OUT"
web POST "/v1/cases/$C1/assign" -H "X-CSRF-Token: $CSRF" -d '{"user":"ghost"}'
check "assigning to no such user is 400" equals "$HTTP" 400
run ctl case assign "$C1" victor
check "delistctl case assign ID USER" contains "$OUT" "assigned to victor"
run ctl --json case show "$C1"
check "... in the case JSON" sh -c 'printf "%s" "$1" | jq -e ".assignee == \"victor\"" >/dev/null' _ "$OUT"
run ctl case assign "$C1" --none
check "delistctl case assign ID --none" contains "$OUT" "assigned to nobody"
run ctl --json case show "$C1"
check "... the assignee is null" sh -c 'printf "%s" "$1" | jq -e ".assignee == null" >/dev/null' _ "$OUT"
check "... three case.assigned events" sh -c '[ "$(printf "%s" "$1" | jq "[.trail[] | select(.type == \"case.assigned\")] | length")" = 3 ]' _ "$OUT"

# --- the admin on TCP -----------------------------------------------------
check "alice logs in again" as alice
web POST /v1/users -H "X-CSRF-Token: $CSRF" -d "{\"name\":\"zed\",\"role\":\"viewer\",\"password\":\"$PW\"}"
check "an admin adds a user over TCP (201)" equals "$HTTP" 201
web GET /v1/users
check "... and lists them, without hashes" sh -c 'printf "%s" "$1" | jq -e "[.users[].name] == [\"alice\",\"otto\",\"victor\",\"zed\"]" >/dev/null && ! printf "%s" "$1" | grep -q hash' _ "$BODY"

# --- passwd and rm ----------------------------------------------------------
check "victor logs in" as victor
cp "$T/jar" "$T/victor.jar"
printf 'another-pass-77\n' > "$T/pw2"
run ctl user passwd victor --password-file "$T/pw2"
check "user passwd" expect_rc 0
check "... prints no password" lacks "$OUT$ERR" "another-pass-77"
cp "$T/victor.jar" "$T/jar"
web GET /v1/status
check "... and ends the user's sessions (401)" equals "$HTTP" 401
rm -f "$T/jar"
web POST /v1/login -d '{"name":"victor","password":"another-pass-77"}'
check "... the new password works" equals "$HTTP" 200
run ctl user rm zed
check "user rm" contains "$OUT" "user zed removed"
run ctl user rm zed
check "user rm of no such user fails (exit 1)" expect_rc 1
run ctl events
check "no password is in the trail" lacks "$OUT" "$PW"
check "... nor the new one" lacks "$OUT" "another-pass-77"
check "no password is in the log" sh -c '! grep -q -e "$1" -e another-pass-77 "$2"' _ "$PW" "$T/daemon.log"

# --- lockout ------------------------------------------------------------------
rm -f "$T/jar"
for _ in 1 2 3 4 5; do
	web POST /v1/login -d '{"name":"otto","password":"wrong-wrong"}'
done
check "five failures are each 401" equals "$HTTP" 401
web POST /v1/login -d "{\"name\":\"otto\",\"password\":\"$PW\"}"
check "then even the right password is 429" equals "$HTTP" 429
check "... with Retry-After" grep -qi '^Retry-After: [0-9]' "$T/hdr"
check "the lockout is logged once" sh -c '[ "$(grep -c "logins as otto locked" "$1")" = 1 ]' _ "$T/daemon.log"
setclock $((T0 + 3600 + 15 * 60 + 1))
web POST /v1/login -d "{\"name\":\"otto\",\"password\":\"$PW\"}"
check "after 15 minutes the login works again" equals "$HTTP" 200

# --- idle and absolute expiry -------------------------------------------------------
setclock $((T0 + 3600 + 15 * 60 + 1 + 8 * 3600))
web GET /v1/status
check "a session idle for 8 h is over (401)" equals "$HTTP" 401
check "alice logs in" as alice
T1=$((T0 + 3600 + 15 * 60 + 1 + 8 * 3600))
d=1
while [ $d -le 27 ]; do
	setclock $((T1 + d * 6 * 3600))
	web GET /v1/status
	[ "$HTTP" = 200 ] || break
	d=$((d + 1))
done
check "a session used every 6 h lasts until 7 d ..." equals "$d" 28
setclock $((T1 + 7 * 86400))
web GET /v1/status
check "... and is over after 7 d (401)" equals "$HTTP" 401
rm -f "$T/jar"
web POST /v1/login -d "{\"name\":\"otto\",\"password\":\"$PW\"}"
check "a login forgets the sessions over their lifetime" sh -c '[ "$(sqlite3 "$1" "SELECT count(*) FROM web_sessions")" = 1 ]' _ "$STATE/delistd.db"

# --- reload -----------------------------------------------------------------------
sed 's/127.0.0.1:0/127.0.0.1:1/' "$conf" > "$T/moved.conf" && cp "$T/moved.conf" "$conf"
run ctl reload
check "a reload that moves web.listen is refused" contains "$ERR" "web.listen changed; restart delistd"

# --- static files ---------------------------------------------------------------
web GET /
check "/ serves index.html, the Board" contains "$BODY" 'src="/board.js"'
check "... as text/html" grep -qi '^Content-Type: text/html' "$T/hdr"
check "... with the security headers" headers_ok
check "... and no inline script" lacks "$BODY" "<script>"
web GET /board.js
check "board.js is text/javascript" grep -qi '^Content-Type: text/javascript' "$T/hdr"
web GET /../../etc/passwd --path-as-is
check "a path with .. is refused (404)" equals "$HTTP" 404
web GET /%2e%2e/%2e%2e/etc/passwd --path-as-is
check "... an encoded one too" equals "$HTTP" 404
check "... and nothing of it is served" lacks "$BODY" "root:"
mkdir -p "$T/webroot"
cp "$top_srcdir/daemon/web/index.html" "$T/webroot/"
ln -s /etc/passwd "$T/webroot/passwd.txt"
mkdir "$T/webroot/sub"
web GET /metrics
check "without metrics_token_file, /metrics over TCP is 404" equals "$HTTP" 404
stop_daemon
printf 'scrape-token-0123456789\n' > "$T/metrics.token"
chmod 640 "$T/metrics.token"
write_config "$conf" "
web: { listen = \"127.0.0.1:0\"; root = \"$T/webroot\";
	metrics_token_file = \"$T/metrics.token\"; };
shops = ( { name = \"main\"; } );"
run "$DELISTD" -t -c "$conf"
check "delistd -t refuses a metrics_token_file others can read" contains "$ERR" "metrics_token_file: secret file $T/metrics.token is accessible by group"
chmod 600 "$T/metrics.token"
start_daemon "$conf"
WEB=http://$(ctl --json status | jq -r .web.listen)
rm -f "$T/jar"
web GET /metrics
check "/metrics over TCP without the bearer token is 401" equals "$HTTP" 401
check "... asking for it" grep -qi '^WWW-Authenticate: Bearer' "$T/hdr"
web GET /metrics -H "Authorization: Bearer scrape-token-0123456788"
check "... with another token too" equals "$HTTP" 401
as alice
web GET /metrics
check "... and with a session but no token" equals "$HTTP" 401
web GET /metrics -H "Authorization: Bearer scrape-token-0123456789"
check "/metrics with the bearer token is 200" equals "$HTTP" 200
check "... the Prometheus text" contains "$BODY" "delistd_build_info"
web GET /passwd.txt
check "a symlink out of the root is refused (404)" equals "$HTTP" 404
web GET /sub/
check "a directory is not listed (404)" equals "$HTTP" 404
web POST /index.html
check "POST to a file is 405" equals "$HTTP" 405
check "with users, no setup link is printed" sh -c '[ "$(grep -c "setup?token" "$1")" = 1 ]' _ "$T/daemon.log"
stop_daemon

finish
