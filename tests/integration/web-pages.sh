#!/bin/sh
# SPDX-License-Identifier: ISC
# web-pages.sh: the web console's pages in a real browser: headless
# Chromium driven by Selenium (web_pages.py) against the real daemon on
# 127.0.0.1, with cases seeded by delistctl on the test clock.
#
# Here (curl): every page and module carries the CSP header. In the
# browser: login and a wrong password; the Board sorted by the nearest
# deadline with the overdue case marked; a case opened after the page
# loaded appearing without a reload; a hostile listing title shown as
# text; the Case page; a viewer without action forms (and 403 on a
# change); the Chinese and the English board; a phone-width board.
# Screenshots go to tests/integration/web-pages-shots/ in the build dir.
#
# Skips only when Chromium, its driver or Selenium is missing, and
# DELISTD_REQUIRE_BROWSER=1 (tests/bootstrap.sh) makes that a failure.
. "$(dirname "$0")/lib.sh"

need_browser() {
	if [ "${DELISTD_REQUIRE_BROWSER:-0}" = 1 ]; then
		echo "Bail out! $1, and DELISTD_REQUIRE_BROWSER=1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
DRIVER=$(command -v chromedriver || true)
[ -n "$CHROME" ] || need_browser "chromium is missing"
[ -n "$DRIVER" ] || need_browser "chromedriver (chromium-driver) is missing"
# Debian's python3-selenium is for Debian's python3, which another
# python3 first on PATH (pyenv, a venv) may not see.
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import selenium' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || need_browser "python3-selenium is missing"
command -v curl >/dev/null 2>&1 || need_browser "curl is missing"
command -v jq >/dev/null 2>&1 || need_browser "jq is missing"
command -v openssl >/dev/null 2>&1 || need_browser "openssl is missing"

conf=$T/delistd.conf
write_config "$conf" "
web: { listen = \"127.0.0.1:0\"; root = \"$top_srcdir/daemon/web\"; };
shops = ( { name = \"main\"; timezone = \"Asia/Shanghai\"; },
	{ name = \"eu\"; timezone = \"Europe/Berlin\"; } );"

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
T0=1791000000
DAY=86400
setclock $T0
PW=correct-horse-42
printf '%s\n' "$PW" > "$T/pw"
SHOTS=$top_builddir/tests/integration/web-pages-shots
rm -rf "$SHOTS"
mkdir -p "$SHOTS"

check "delistd starts with web.listen" start_daemon "$conf"
WEB=http://$(ctl --json status | jq -r .web.listen)
check "an operator" ctl user add olga --role operator --password-file "$T/pw"
check "a viewer" ctl user add vera --role viewer --password-file "$T/pw"

# Case A: appealed at T0, its platform feedback due after 72 h: overdue
# at T0 + 4 d. Case B (eu) and the hostile title (main): opened at T0 + 4 d.
printf 'We removed the words "best quality" from the title and the images.\n' > "$T/stmt.txt"
check "listing A" ctl track main 1005000000000001 --title "Wireless earbuds, noise cancelling"
check "listing B" ctl track eu 1005000000000002 --title "USB-C charger 65 W"
check "listing X (a hostile title)" ctl track main 1005000000000003 --title '<img src=x onerror=alert(1)>'
CA=$(ctl case open main 1005000000000001 --reason prohibited_words --rule "3.2 absolute terms")
check "case A opened" test -n "$CA"
check "case A appealed" ctl case appeal "$CA" --platform-case 5012345678 --statement "$T/stmt.txt" --force
setclock $((T0 + 4 * DAY))
CB=$(ctl case open eu 1005000000000002 --reason missing_certification)
CX=$(ctl case open main 1005000000000003 --reason false_info)
check "cases B and X opened" test -n "$CB" -a -n "$CX"
check "case B assigned to olga" ctl case assign "$CB" olga
check "the case list gives the deadlines, zone, assignee and ack" sh -c '
	"$1" -s "$2" --json status >/dev/null &&
	curl -sS -c "$3/j" -o /dev/null -d "{\"name\":\"olga\",\"password\":\"$4\"}" "$5/v1/login" &&
	curl -sS -b "$3/j" "$5/v1/cases" | jq -e "
		(.cases[] | select(.id == $6) | .deadlines.feedback_due_at != null and .timezone == \"Asia/Shanghai\")
		and (.cases[] | select(.id == $7) | .assignee == \"olga\" and .timezone == \"Europe/Berlin\" and .ack == null)"' \
	_ "$DELISTCTL" "$SOCK" "$T" "$PW" "$WEB" "$CA" "$CB"

# The CSP header on every page and module.
for f in / /index.html /case.html /style.css /i18n.js /common.js /board.js /case.js; do
	check "CSP on $f" sh -c 'curl -sS -D - -o /dev/null "$1$2" | grep -qi "^Content-Security-Policy: default-src '\''self'\''"' _ "$WEB" "$f"
done

# The listing's picture comes from an https server of the script's on
# 127.0.0.1, with this certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1
check "a certificate for the picture server" test -s "$T/cert.pem"

CERT=$T/cert.pem KEY=$T/key.pem WEB=$WEB PW=$PW SHOTS=$SHOTS CHROME=$CHROME DRIVER=$DRIVER \
    DELISTCTL=$DELISTCTL SOCK=$SOCK CA=$CA CB=$CB CX=$CX \
    timeout 300 "$PY" "$top_srcdir/tests/integration/web_pages.py" > "$T/py.out" 2> "$T/py.err"
PYRC=$?
while IFS= read -r line; do
	case $line in
	"PASS "*) pass "${line#PASS }" ;;
	"FAIL "*) fail "${line#FAIL }" ;;
	*) diag "$line" ;;
	esac
done < "$T/py.out"
check "the browser script ran to its end" sh -c '[ "$1" = 0 ] || { tail -n 30 "$2"; exit 1; }' _ "$PYRC" "$T/py.err"
check "screenshots saved" sh -c 'ls "$1"/*.png | grep -c . | grep -qv "^0$"' _ "$SHOTS"
stop_daemon
finish
