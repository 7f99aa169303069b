#!/bin/sh
# SPDX-License-Identifier: ISC
# preflight-names.sh: issue 13 through the real delistd and delistctl.
# The file-name convention is one table: a name that doc add --rename
# writes draws no doc_name finding (AE<id>_TEST-REPORT_..., no _CE_CE_); a
# PNG screenshot (other) is taken, a PNG certificate is told to convert to
# PDF or JPG. The seed's statements: its good example passes case check,
# each bad one draws the finding that names its fault; look-alike letters
# (𝐁𝐄𝐒𝐓, ⓑⓔⓢⓣ, Bést, ＢＥＳＴ) still hold a banned "best".
. "$(dirname "$0")/lib.sh"

hexbin() {
	for _b in $(echo "$1" | sed 's/../& /g'); do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "0x$_b")"
	done
}
pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }
# PNG 1000x800 grey (png2: 1200x900), IHDR with its CRC, then IEND.
png() {
	hexbin 89504e470d0a1a0a0000000d49484452000003e8000003200800000000957317e10000000049454e44ae426082 > "$1"
}
png2() {
	hexbin 89504e470d0a1a0a0000000d49484452000004b0000003840800000000940697260000000049454e44ae426082 > "$1"
}
# name_of DOC: the document's stored file name.
name_of() { ctl --json doc show "$1" | sed -n 's/^ *"name": "\(.*\)",*$/\1/p'; }

P1=1005001234567890
conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"
ctl track main $P1 --title "LED strip 5m warm white" >/dev/null
id=$(ctl case open main $P1 --reason missing_certification)
ctl case note "$id" "removed the absolute terms from the title" --field title >/dev/null
S="We uploaded the CE certificate and the SGS test report for listing $P1; the attached screenshots show the live page with its address bar."
printf '%s' "$S" > "$T/s.txt"

# --- --rename writes what the preflight accepts ------------------------------
mkdir "$T/in"
pdf "$T/in/Test report SGS.pdf" sgs
run ctl doc add "$T/in/Test report SGS.pdf" --type test_report --shop main --products $P1 --rename
check "doc add --rename of a test report is stored" expect_rc 0
tr=$OUT
check "... as AE<id>_TEST-REPORT_SGS.pdf (the type token once)" equals "$(name_of "$tr")" "AE${P1}_TEST-REPORT_SGS.pdf"
pdf "$T/in/CE declaration.pdf" ce
ce=$(ctl doc add "$T/in/CE declaration.pdf" --type ce --shop main --products $P1 --rename)
check "\"CE declaration.pdf\" renamed as ce is AE<id>_CE_declaration.pdf, not _CE_CE_" equals "$(name_of "$ce")" "AE${P1}_CE_declaration.pdf"
ctl case doc "$id" "$tr" >/dev/null
ctl case doc "$id" "$ce" >/dev/null
run ctl --json case check "$id" --statement "$T/s.txt"
check "a case check with the renamed documents attached passes (exit 0)" expect_rc 0
check "... and draws no doc_name finding" lacks "$OUT" '"doc_name"'

# --- PNG: a screenshot is taken, a certificate is told to convert ----------
png "$T/in/AE${P1}_OTHER_Screenshot.png"
run ctl --json case check "$id" --statement "$T/s.txt" --attach "$T/in/AE${P1}_OTHER_Screenshot.png"
check "a PNG screenshot attached as other, named by the convention: no doc_name" lacks "$OUT" '"doc_name"'
png2 "$T/in/Screenshot 1.png"
run ctl doc add "$T/in/Screenshot 1.png" --type other --shop main --products $P1 --rename
check "doc add --rename of a PNG screenshot (other) is stored" expect_rc 0
check "... as AE<id>_OTHER_Screenshot_1.png" equals "$(name_of "$OUT")" "AE${P1}_OTHER_Screenshot_1.png"
check "... with no warning about the name" lacks "$ERR" "convention"
png "$T/in/AE${P1}_CE_Certificate.png"
run ctl case check "$id" --statement "$T/s.txt" --attach "ce:$T/in/AE${P1}_CE_Certificate.png"
check "a PNG certificate draws doc_name" sh -c 'printf "%s\n" "$1" | grep -q "^warning *doc_name "' _ "$OUT"
check "... naming the conversion to make" contains "$OUT" "convert it to PDF or JPG"
run ctl doc add "$T/in/AE${P1}_CE_Certificate.png" --type ce --shop main --products $P1
check "doc add of a PNG certificate warns to convert it" contains "$ERR" "convert it to PDF or JPG"
run ctl doc add "$T/in/AE${P1}_CE_Certificate.png" --type ce --shop main --products $P1 --rename
check "doc add --rename of a PNG certificate is refused, naming the conversion" sh -c '[ "$1" != 0 ] && case "$2" in *"convert it to PDF or JPG"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"

# --- the seed's statements -------------------------------------------------
ctl track main 1005002000000002 --title "Wireless Earbuds Bluetooth 5.3" >/dev/null
w=$(ctl case open main 1005002000000002 --reason prohibited_words)
ctl case note "$w" "removed best quality" --field title >/dev/null
# The seed's example of a good statement (what was changed, and where), as
# the guide gives it in Chinese and in English, word for word.
printf '%s' "已删除标题中‘best quality’表述，见新标题第3词" > "$T/good-zh.txt"
run ctl case check "$w" --statement "$T/good-zh.txt"
check "the seed's good statement in Chinese gives no error (exit 0)" expect_rc 0
check "... nothing found" contains "$OUT" "nothing found that would get the appeal rejected"
printf '%s' "Removed 'best quality' from the title, see word 3 of the new title." > "$T/good.txt"
run ctl case check "$w" --statement "$T/good.txt"
check "the seed's good statement in English gives no error (exit 0)" expect_rc 0
check "... nothing found" contains "$OUT" "nothing found that would get the appeal rejected"
# bad STATEMENT CODE DESC: the statement draws the finding CODE.
bad() {
	printf '%s' "$1" > "$T/bad.txt"
	run ctl --json case check "$w" --statement "$T/bad.txt"
	contains "$OUT" "\"code\": \"$2\""
}
check "a template (\"I have rectified, please unblock\") is statement_template" \
    bad "I have rectified, please unblock" statement_template
check "the Chinese template (已整改，请解封) is statement_template" \
    bad "我们已整改，请解封，谢谢审核。" statement_template
check "machine-translated English (\"I am not copy\") is machine_english" \
    bad "I am not copy, we change title for you already, the best quality words is removed from title now." machine_english
check "... quoting the phrase" contains "$OUT" '\"change title for you\"'
check "a statement that names no field is statement_no_field" \
    bad "We have done everything that was asked and we hope you can look at it again soon, thank you very much." statement_no_field
t=$(ctl case open main 1005003000000003 --reason tro)
printf '%s' "no infringement" > "$T/tro.txt"
run ctl --json case check "$t" --statement "$T/tro.txt"
check "a TRO answered with a bare \"no infringement\" asks for court papers" contains "$OUT" '"code": "docs_missing"'
check "... and the phrase is a template" contains "$OUT" '"code": "statement_template"'

# --- look-alike letters hold the banned term ---------------------------------
for title in "𝐁𝐄𝐒𝐓 quality earbuds" "ⓑⓔⓢⓣ quality earbuds" "Bést Quality earbuds" "ＢＥＳＴ ＱＵＡＬＩＴＹ earbuds"; do
	run ctl --json case check "$w" --statement "$T/good.txt" --title "$title"
	check "\"$title\" holds the banned \"best quality\"" contains "$OUT" '"code": "title_banned_term"'
done

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
