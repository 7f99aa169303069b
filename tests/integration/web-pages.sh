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
command -v sqlite3 >/dev/null 2>&1 || need_browser "sqlite3 is missing"

PLUGIN_DIR=$top_builddir/plugins/.libs
[ -e "$PLUGIN_DIR/exec.so" ] || { echo "Bail out! $PLUGIN_DIR/exec.so is not built"; exit 1; }
# The ERP's hook: refuses each abandonment once (exit 3: dead at once, a
# delivery.dead condition), takes it when retried.
cat > "$T/erp.sh" <<'HOOK'
#!/bin/sh
m=$(dirname "$0")/erp.$DELISTD_EVENT_ID
[ -e "$m" ] && exit 0
: > "$m"
echo "ERP refused: SKU locked"
exit 3
HOOK
conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
web: { listen = "127.0.0.1:0"; root = "$top_srcdir/daemon/web"; };
shops = ( { name = "main"; timezone = "Asia/Shanghai"; },
	{ name = "eu"; timezone = "Europe/Berlin"; } );
plugins = ( { name = "erp"; module = "exec"; command = [ "/bin/sh", "$T/erp.sh" ];
	events = [ "case.abandoned" ]; min_severity = "info"; } );
CONF

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
# Two listings showing the same picture: a case for one puts the other at
# risk (web_pages.py opens it).
check "listings sharing a picture" sh -c '
	"$1" -s "$2" track main 1005000000000041 --title "Lamp shade" --image "$3" &&
	"$1" -s "$2" track main 1005000000000040 --title "Desk lamp" --image "$3"' \
	_ "$DELISTCTL" "$SOCK" https://ae01.alicdn.com/kf/Hwebrisk01.jpg
setclock $((T0 + 4 * DAY))
CB=$(ctl case open eu 1005000000000002 --reason missing_certification)
CX=$(ctl case open main 1005000000000003 --reason false_info)
check "cases B and X opened" test -n "$CB" -a -n "$CX"
check "case B assigned to olga" ctl case assign "$CB" olga
# A CE declaration in the vault for case A's product, and a PDF to upload.
printf '%%PDF-1.4\n%% ce\ntrailer << >>\n%%%%EOF\n' > "$T/AE1005000000000001_CE_Declaration.pdf"
printf '%%PDF-1.4\n%% lab\ntrailer << >>\n%%%%EOF\n' > "$T/AE1005000000000001_TestReport_Lab.pdf"
DOC=$(ctl --json doc add "$T/AE1005000000000001_CE_Declaration.pdf" --type ce --shop main --products 1005000000000001 --expires 2027-12-31 | jq -r .id)
check "a document in the vault" test -n "$DOC"
printf '%%PDF-1.4\n%% fcc\ntrailer << >>\n%%%%EOF\n' > "$T/AE1005000000000002_FCC_Grant.pdf"
SOON=$(ctl --json doc add "$T/AE1005000000000002_FCC_Grant.pdf" --type fcc --shop eu --products 1005000000000002 --expires 2026-10-20 | jq -r .id)
check "a document expiring soon (T0 + 4 d is 2026-10-07)" test -n "$SOON"
check "the case list gives the deadlines, zone, assignee and ack" sh -c '
	"$1" -s "$2" --json status >/dev/null &&
	curl -sS -c "$3/j" -o /dev/null -d "{\"name\":\"olga\",\"password\":\"$4\"}" "$5/v1/login" &&
	curl -sS -b "$3/j" "$5/v1/cases" | jq -e "
		(.cases[] | select(.id == $6) | .deadlines.feedback_due_at != null and .timezone == \"Asia/Shanghai\")
		and (.cases[] | select(.id == $7) | .assignee == \"olga\" and .timezone == \"Europe/Berlin\" and .ack == null)"' \
	_ "$DELISTCTL" "$SOCK" "$T" "$PW" "$WEB" "$CA" "$CB"

# Case A's evidence as the source would have archived it (a case opened by
# hand has none): the platform's answer and a page snapshot with a script.
mkdir -p "$STATE/evidence"
printf '{"result":{"product_status_type":"offline","ws_display":"punish_offline"}}\n' > "$T/ev1"
printf '<html><script>alert(1)</script><h1>Wireless earbuds</h1></html>\n' > "$T/ev2"
seed_evidence() {
	sha=$(sha256sum "$T/$1" | cut -d" " -f1)
	cp "$T/$1" "$STATE/evidence/$sha" &&
	sqlite3 "$STATE/delistd.db" "INSERT INTO evidence (case_id, kind, sha256, size, at, url)
	    VALUES ($CA, '$2', '$sha', $(wc -c < "$T/$1"), $T0, NULLIF('$3', ''))"
}
if seed_evidence ev1 api_response "" &&
    seed_evidence ev2 snapshot https://www.aliexpress.com/item/1005000000000001.html; then
	pass "case A's evidence seeded"
else
	fail "case A's evidence seeded"
fi

# The CSP header on every page and module.
for f in / /index.html /case.html /style.css /i18n.js /common.js /board.js /case.js \
    /listings.html /listings.js /documents.html /documents.js /alerts.html /alerts.js; do
	check "CSP on $f" sh -c 'curl -sS -D - -o /dev/null "$1$2" | grep -qi "^Content-Security-Policy: default-src '\''self'\''"' _ "$WEB" "$f"
done

# The listing's picture comes from an https server of the script's on
# 127.0.0.1, with this certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" \
    -out "$T/cert.pem" -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1
check "a certificate for the picture server" test -s "$T/cert.pem"

CERT=$T/cert.pem KEY=$T/key.pem WEB=$WEB PW=$PW SHOTS=$SHOTS WORK=$T \
    CHROME=$CHROME DRIVER=$DRIVER \
    DELISTCTL=$DELISTCTL SOCK=$SOCK CA=$CA CB=$CB CX=$CX DOC=$DOC SOON=$SOON \
    EV1=$(sha256sum "$T/ev1" | cut -d" " -f1) \
    UPLOAD=$T/AE1005000000000001_TestReport_Lab.pdf \
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
