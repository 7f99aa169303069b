#!/bin/sh
# SPDX-License-Identifier: ISC
# import-gb18030.sh: a CSV saved by Chinese Excel or WPS (GB18030, GBK
# included) is imported with its Chinese titles right, delistctl saying it
# converted it; a UTF-8 CSV with a BOM still imports; bytes valid in
# neither encoding are refused naming the file and line, nothing imported
# (issue 17).
. "$(dirname "$0")/lib.sh"

command -v iconv >/dev/null 2>&1 || { echo "1..0 # SKIP iconv is missing"; exit 0; }

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"

printf 'shop,product_id,title\nmain,1005007000000101,"不锈钢保温杯 500ml"\nmain,1005007000000102,纯棉袜子 3双装\n' > "$T/utf8.csv"
iconv -f UTF-8 -t GB18030 "$T/utf8.csv" > "$T/list.csv"
check "the test's CSV is not UTF-8" sh -c '! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1' _ "$T/list.csv"
run ctl import "$T/list.csv"
check "a GB18030 CSV imports" sh -c '[ "$1" = 0 ] && case "$2" in *"imported 2 listings (2 newly tracked)"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
check "... saying it was converted" equals "$ERR" "delistctl: $T/list.csv is GB18030 (Chinese Excel/WPS), converted to UTF-8"
run ctl listings
check "... with its Chinese titles right" contains "$OUT" "不锈钢保温杯 500ml"
check "... both of them" contains "$OUT" "纯棉袜子 3双装"

printf '\357\273\277shop,product_id,title\nmain,1005007000000103,"蓝牙耳机"\n' > "$T/bom.csv"
run ctl import "$T/bom.csv"
check "a UTF-8 CSV with a BOM still imports" sh -c '[ "$1" = 0 ] && [ -z "$2" ]' _ "$RC" "$ERR"
check "... with its title" contains "$(ctl listings)" "蓝牙耳机"

# Line 3 has 0xFF, which is neither UTF-8 nor GB18030.
printf 'shop,product_id,title\nmain,1005007000000201,ok\nmain,1005007000000202,bad \377\377\n' > "$T/bad.csv"
run ctl import "$T/bad.csv"
check "a CSV in neither encoding is refused (exit 1)" expect_rc 1
check "... naming the file and line" contains "$ERR" "delistctl: $T/bad.csv:3: neither UTF-8 nor GB18030"
check "... and nothing is imported" lacks "$(ctl --json listings)" 1005007000000201

stop_daemon
finish
