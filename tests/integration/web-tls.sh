#!/bin/sh
# SPDX-License-Identifier: ISC
# web-tls.sh: the web console over TLS, and libevent's own refusals.
#
# A self-signed certificate made here by the openssl CLI: delistd -t
# refuses a missing, a mismatched or a lone certificate or key; curl
# --cacert talks HTTPS, a login works, the cookie is Secure and the
# answers carry Strict-Transport-Security; plain HTTP to the TLS port gets
# no answer; a reload serves a renewed certificate to new connections.
# Requests libevent refuses by itself (not HTTP, headers or a body over
# the limits, an unknown Expect), sent raw over TLS, are answered in JSON
# with the security headers like every other answer.
. "$(dirname "$0")/lib.sh"

for c in curl jq openssl python3; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done

# cert NAME: a self-signed certificate for 127.0.0.1, $T/NAME.crt + .key.
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/$1.key" -out "$T/$1.crt" -days 2 -subj "/CN=$1" \
	    -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
}
cert one || { echo "Bail out! openssl cannot make a certificate"; exit 1; }
cert two

PW=correct-horse-42
tlsconf() { # FILE CERT KEY
	write_config "$1" "
web: { listen = \"127.0.0.1:0\"; root = \"$top_srcdir/daemon/web\";
    tls_cert_file = \"$2\"; tls_key_file = \"$3\"; };
shops = ( { name = \"main\"; } );"
}

# --- delistd -t judges the files ---------------------------------------
tlsconf "$T/missing.conf" "$T/one.crt" "$T/nowhere.key"
run "$DELISTD" -t -c "$T/missing.conf"
check "delistd -t refuses a key file it cannot read (exit 1)" expect_rc 1
check "... in one line naming the file" sh -c '[ "$(printf "%s\n" "$1" | wc -l)" = 1 ] && case "$1" in *"web.tls_key_file: cannot read $2: No such file"*) ;; *) exit 1;; esac' _ "$ERR" "$T/nowhere.key"
tlsconf "$T/mismatch.conf" "$T/one.crt" "$T/two.key"
run "$DELISTD" -t -c "$T/mismatch.conf"
check "delistd -t refuses a key of another certificate (exit 1)" expect_rc 1
check "... saying so" contains "$ERR" "web.tls_key_file: $T/two.key is not the key of the certificate $T/one.crt"
tlsconf "$T/swapped.conf" "$T/one.key" "$T/one.crt"
run "$DELISTD" -t -c "$T/swapped.conf"
check "delistd -t refuses a key given as the certificate" contains "$ERR" "web.tls_cert_file: $T/one.key is not a PEM certificate"
write_config "$T/lone.conf" "web: { listen = \"127.0.0.1:0\"; tls_cert_file = \"$T/one.crt\"; };"
run "$DELISTD" -t -c "$T/lone.conf"
check "delistd -t refuses a certificate without its key" contains "$ERR" "tls_cert_file and tls_key_file go together"
write_config "$T/open.conf" "web: { listen = \"0.0.0.0:0\"; tls_cert_file = \"$T/one.crt\"; tls_key_file = \"$T/one.key\"; };"
run "$DELISTD" -t -c "$T/open.conf"
check "a non-loopback listen with TLS needs no insecure_bind" expect_rc 0

# --- HTTPS ----------------------------------------------------------------
# The certificate the daemon serves lives at fixed paths, renewed in place.
cp "$T/one.crt" "$T/live.crt"
cp "$T/one.key" "$T/live.key"
tlsconf "$T/delistd.conf" "$T/live.crt" "$T/live.key"
check "delistd starts with TLS" start_daemon "$T/delistd.conf"
ADDR=$(ctl --json status | jq -r .web.listen)
PORT=${ADDR##*:}
WEB=https://$ADDR
check "status says TLS" sh -c 'ctl() { "$1" -s "$2" --json status; }; ctl "$1" "$2" | jq -e ".web.tls == true" >/dev/null' _ "$DELISTCTL" "$SOCK"
run ctl status
check "delistctl status prints an https:// address" contains "$OUT" "web console  $WEB/"
check "the start-up log prints the https:// setup link" grep -q "$WEB/setup?token=" "$T/daemon.log"
printf '%s\n' "$PW" > "$T/pw"
run ctl user add alice --role admin --password-file "$T/pw"

web() { # METHOD PATH [curl args]: over HTTPS with the cookie jar
	_w_m=$1; _w_p=$2; shift 2
	HTTP=$(curl -sS --cacert "$T/one.crt" -b "$T/jar" -c "$T/jar" \
	    -D "$T/hdr" -o "$T/wbody" -w '%{http_code}' -X "$_w_m" "$@" \
	    "$WEB$_w_p" 2>"$T/curl.err")
	BODY=$(cat "$T/wbody" 2>/dev/null)
}
web GET /
check "curl --cacert gets the board's page over HTTPS" sh -c '[ "$1" = 200 ] && grep -q "<html" "$2"' _ "$HTTP" "$T/wbody"
check "... with Strict-Transport-Security" grep -qi '^Strict-Transport-Security: max-age=31536000' "$T/hdr"
check "... and the CSP" grep -qi "^Content-Security-Policy: default-src 'self'" "$T/hdr"
web POST /v1/login -d "{\"name\":\"alice\",\"password\":\"$PW\"}"
check "a login over HTTPS works" equals "$HTTP" 200
check "... the cookie is Secure, HttpOnly and SameSite=Strict" grep -qi '^Set-Cookie: delistd_session=[0-9a-f]*; Path=/; HttpOnly; SameSite=Strict; Max-Age=[0-9]*; Secure' "$T/hdr"
web GET /v1/session
check "... and the session reads back" sh -c 'printf "%s" "$1" | jq -e ".user == \"alice\"" >/dev/null' _ "$BODY"
CSRF=$(printf '%s' "$BODY" | jq -r .csrf_token)
web POST /v1/logout -H "X-CSRF-Token: $CSRF"
check "logout clears a Secure cookie" grep -qi '^Set-Cookie: delistd_session=; .*Max-Age=0; Secure' "$T/hdr"

run curl -sS -o /dev/null -w '%{http_code}' "http://$ADDR/"
check "plain HTTP to the TLS port gets no HTTP answer" sh -c '[ "$1" != 0 ] && [ "$2" = 000 ]' _ "$RC" "$OUT"
run curl -sS -o /dev/null -w '%{http_code}' "https://$ADDR/"
check "a client that does not trust the certificate is refused" sh -c '[ "$1" != 0 ]' _ "$RC"
check "the daemon still serves after both" sh -c 'curl -sS --cacert "$1" -o /dev/null -w "%{http_code}" "$2/" | grep -qx 200' _ "$T/one.crt" "$WEB"

# --- libevent's own refusals, raw over TLS --------------------------------
# raw BYTES [N]: sends them and N bytes more on a TLS connection, the
# answer in $T/raw.
raw() {
	python3 - "$PORT" "$T/one.crt" "$1" "${2:-0}" > "$T/raw" 2>&1 <<'EOF'
import socket, ssl, sys
port, ca, data = int(sys.argv[1]), sys.argv[2], sys.argv[3]
data = data.encode().decode("unicode_escape").encode("latin-1")
data += b"x" * int(sys.argv[4])
ctx = ssl.create_default_context(cafile=ca)
with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
        try:
            t.sendall(data)
        except OSError:
            pass
        got = b""
        while b"\r\n\r\n" not in got or not got.rstrip().endswith(b"}"):
            try:
                b = t.recv(65536)
            except OSError:
                break
            if not b:
                break
            got += b
sys.stdout.write(got.decode("latin-1"))
EOF
}
# refused STATUS CODE: $T/raw is that JSON refusal with the headers.
refused() {
	head -n 1 "$T/raw" | grep -q "^HTTP/1.1 $1 " &&
	    grep -qi "^Content-Security-Policy: default-src 'self'; frame-ancestors 'none'" "$T/raw" &&
	    grep -qi '^X-Content-Type-Options: nosniff' "$T/raw" &&
	    grep -qi '^Referrer-Policy: same-origin' "$T/raw" &&
	    grep -qi '^Strict-Transport-Security: ' "$T/raw" &&
	    grep -qi '^Content-Type: application/json' "$T/raw" &&
	    grep -q "\"code\": \"$2\"" "$T/raw" || { cat "$T/raw"; return 1; }
}
raw 'NOT HTTP AT ALL\r\n\r\n'
check "a request that is not HTTP: a JSON 400 with the security headers" refused 400 bad_request
many=$(i=0; while [ $i -lt 200 ]; do printf 'X-H%d: %060d\\r\\n' $i 0; i=$((i + 1)); done)
raw "GET / HTTP/1.1\\r\\nHost: x\\r\\n$many\\r\\n"
# libevent 2.1 answers headers over evhttp's limit (8 KiB) with a 400.
check "headers over the limit: a JSON 400 with the security headers" refused 400 bad_request
raw "GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Big: $(head -c 9000 /dev/zero | tr '\0' a)\\r\\n\\r\\n"
check "a header line over the limit: a JSON 400 with the security headers" refused 400 bad_request
# The hard limit is daemon.max_upload's default, 32 MiB, sent and dropped.
raw 'POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 33554433\r\n\r\n' 33554433
check "a body over the limit: a JSON 413 with the security headers" refused 413 request_too_large
raw 'POST /v1/login HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nContent-Length: 2\r\n\r\n{}'
check "an Expect libevent does not know: a JSON 417 with the headers" refused 417 expectation_failed
raw 'BREW /v1/status HTTP/1.1\r\nHost: x\r\n\r\n'
check "an unknown method: a JSON 405 with the headers" refused 405 unknown_method

# --- a reload serves a renewed certificate --------------------------------
check "the first certificate is served" sh -c 'served() { openssl s_client -connect "127.0.0.1:$1" </dev/null 2>/dev/null | openssl x509 -noout -subject; }; served "$1" | grep -q "CN *= *one"' _ "$PORT"
cp "$T/two.crt" "$T/live.crt"
cp "$T/two.key" "$T/live.key"
run ctl reload
check "a reload with the renewed certificate works" expect_rc 0
check "... and new connections get it" sh -c 'served() { openssl s_client -connect "127.0.0.1:$1" </dev/null 2>/dev/null | openssl x509 -noout -subject; }; served "$1" | grep -q "CN *= *two"' _ "$PORT"
cp "$T/one.key" "$T/live.key"
run ctl reload
check "a reload with a mismatched key fails (exit 1)" expect_rc 1
check "... saying why" contains "$ERR" "is not the key of the certificate"
check "... and the renewed certificate keeps serving" sh -c 'curl -sS --cacert "$1" -o /dev/null -w "%{http_code}" "$2/" | grep -qx 200' _ "$T/two.crt" "$WEB"

stop_daemon
finish
