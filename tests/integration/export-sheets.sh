#!/bin/sh
# SPDX-License-Identifier: ISC
# export-sheets.sh: cases as spreadsheets. cases --format csv|xlsx and case
# export --all --shop SHOP --format md|json|csv|xlsx, through the real
# delistd and delistctl on the test clock: the XLSX opens with openpyxl
# (/usr/bin/python3) with the right cells, times local to the shop (a
# date cell), and the CSV is UTF-8 with a byte order mark. Under a Chinese
# locale (LANG=zh_CN.UTF-8, po/'s catalogue) the header row is Chinese in
# XLSX and CSV, the cells the same; under C it is English.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import openpyxl' 2>/dev/null || { echo "1..0 # SKIP python3-openpyxl is missing"; exit 0; }

conf=$T/delistd.conf
write_config "$conf" '
shops = ( { name = "main"; timezone = "Asia/Shanghai"; }, { name = "eu"; timezone = "Europe/Berlin"; } );'
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
# 2026-12-01T02:00:00Z: 10:00 in Shanghai, 03:00 in Berlin.
setclock 1796090400
check "delistd starts" start_daemon "$conf"
C1=$(ctl case open main 1005001000000001 --reason prohibited_words)
C2=$(ctl case open main 1005001000000002 --reason false_info)
C3=$(ctl case open eu 1005001000000003 --reason ip_infringement)
check "three cases open" test -n "$C3"

# cell FILE REF: a cell's value as openpyxl reads it (a date as ISO).
cell() {
	"$PY" - "$1" "$2" <<'PY'
import sys, datetime, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
v = ws[sys.argv[2]].value
print(v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v)
PY
}
rows() { "$PY" -c 'import sys, openpyxl; print(openpyxl.load_workbook(sys.argv[1]).active.max_row)' "$1"; }

run sh -c '"$1" -s "$2" cases --format xlsx > "$3"' _ "$DELISTCTL" "$SOCK" "$T/cases.xlsx"
check "cases --format xlsx writes a workbook" expect_rc 0
check "... that openpyxl opens: a header and three rows" equals "$(rows "$T/cases.xlsx")" 4
check "... headers in the first row" sh -c '[ "$1" = "Case ID" ] && [ "$2" = "Product ID" ] && [ "$3" = "Opened" ]' _ "$(cell "$T/cases.xlsx" A1)" "$(cell "$T/cases.xlsx" C1)" "$(cell "$T/cases.xlsx" I1)"
check "... the case ID a number" equals "$(cell "$T/cases.xlsx" A2)" "$C1"
check "... its shop and product" sh -c '[ "$1" = main ] && [ "$2" = 1005001000000001 ]' _ "$(cell "$T/cases.xlsx" B2)" "$(cell "$T/cases.xlsx" C2)"
check "... its state and reason" sh -c '[ "$1" = open ] && [ "$2" = prohibited_words ]' _ "$(cell "$T/cases.xlsx" E2)" "$(cell "$T/cases.xlsx" F2)"
check "... opened at 10:00 Shanghai time, a date cell" equals "$(cell "$T/cases.xlsx" I2)" "2026-12-01 10:00:00"
check "... its zone named" equals "$(cell "$T/cases.xlsx" M2)" "Asia/Shanghai"
check "... the Berlin shop's case at 03:00 Berlin time" sh -c '[ "$1" = "2026-12-01 03:00:00" ] && [ "$2" = Europe/Berlin ]' _ "$(cell "$T/cases.xlsx" I4)" "$(cell "$T/cases.xlsx" M4)"

# --- the headers in the reader's language --------------------------------
GMO=$top_srcdir/po/zh_CN.gmo
[ -e "$GMO" ] || { echo "Bail out! $GMO is not built"; exit 1; }
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
cp "$GMO" "$T/locale/zh_CN/LC_MESSAGES/delistd.mo"
# zh CMD...: delistctl's CMD under LANG=zh_CN.UTF-8 with the catalogue.
zh() {
	env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 \
	    DELISTD_LOCALEDIR="$T/locale" "$DELISTCTL" -s "$SOCK" "$@"
}
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	zh cases --format xlsx > "$T/zh.xlsx"
	check "under LANG=zh_CN.UTF-8, the XLSX's header row is Chinese" sh -c '[ "$1" = "Case ID" ] && [ "$2" = "店铺" ] && [ "$3" = "商品ID" ] && [ "$4" = "开单时间" ] && [ "$5" = "时区" ]' _ "$(cell "$T/zh.xlsx" A1)" "$(cell "$T/zh.xlsx" B1)" "$(cell "$T/zh.xlsx" C1)" "$(cell "$T/zh.xlsx" I1)" "$(cell "$T/zh.xlsx" M1)"
	check "... its cells the same" sh -c '[ "$1" = "$3" ] && [ "$2" = "2026-12-01 10:00:00" ]' _ "$(cell "$T/zh.xlsx" C2)" "$(cell "$T/zh.xlsx" I2)" 1005001000000001
	zh case export --all --shop main --format xlsx > "$T/zh-main.xlsx"
	check "case export --all --format xlsx: the same Chinese header" sh -c '[ "$1" = "店铺" ] && [ "$2" = "时区" ]' _ "$(cell "$T/zh-main.xlsx" B1)" "$(cell "$T/zh-main.xlsx" M1)"
	run zh case export --all --shop main --format csv
	check "... and --format csv" contains "$OUT" "Case ID,店铺,商品ID,"
	run zh cases --format csv --shop main
	check "cases --format csv under zh_CN: the Chinese header" contains "$OUT" "Case ID,店铺,商品ID,"
else
	echo "# the zh_CN.UTF-8 locale is missing: the Chinese headers are not checked"
fi
env LC_ALL=C DELISTD_LOCALEDIR="$T/locale" "$DELISTCTL" -s "$SOCK" cases --format xlsx > "$T/c.xlsx"
check "under C, the same workbook's header row is English" sh -c '[ "$1" = Shop ] && [ "$2" = "Time zone" ]' _ "$(cell "$T/c.xlsx" B1)" "$(cell "$T/c.xlsx" M1)"

run ctl cases --format csv --shop main
check "cases --format csv" expect_rc 0
check "... UTF-8 with a byte order mark, then the header" sh -c 'printf "%s" "$1" | head -c 3 | od -An -tx1 | grep -q "ef bb bf"' _ "$OUT"
check "... the header" contains "$OUT" "Case ID,Shop,Product ID,Title,State,Reason,Appeals,Rejections,Opened,Updated,Next deadline,Assignee,Time zone"
check "... a row per case of the shop, the time local" contains "$OUT" "$C2,main,1005001000000002,,open,false_info,0,0,2026-12-01 10:00,2026-12-01 10:00,"
check "... not the other shop's" lacks "$OUT" 1005001000000003
run ctl cases --format pdf
check "an unknown format is refused" expect_rc 1
run ctl cases --format xlsx
check "XLSX to a pipe is fine; to a terminal it is refused (not tested here)" expect_rc 0

run sh -c '"$1" -s "$2" case export --all --shop main --format xlsx > "$3"' _ "$DELISTCTL" "$SOCK" "$T/main.xlsx"
check "case export --all --shop main --format xlsx" expect_rc 0
check "... the shop's two cases" equals "$(rows "$T/main.xlsx")" 3
check "... the right ones" sh -c '[ "$1" = 1005001000000001 ] && [ "$2" = 1005001000000002 ]' _ "$(cell "$T/main.xlsx" C2)" "$(cell "$T/main.xlsx" C3)"
run ctl case export --all --shop main --format json
check "case export --all --format json: an array of dossiers" sh -c 'printf "%s" "$1" | jq -e "length == 2" >/dev/null' _ "$OUT"
run ctl case export --all --shop main --format md
check "case export --all --format md: the dossiers one after the other" sh -c 'case "$1" in *1005001000000001*---*1005001000000002*) ;; *) exit 1;; esac' _ "$OUT"
run ctl case export --all --shop main --format csv
check "case export --all --format csv" contains "$OUT" "$C1,main,1005001000000001"
run ctl case export --all --format csv
check "--all without --shop is refused" expect_rc 1
run ctl case export --all --shop nosuch --format csv
check "an unknown shop: the daemon's refusal" expect_rc 1

finish
