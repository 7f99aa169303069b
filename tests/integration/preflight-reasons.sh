#!/bin/sh
# SPDX-License-Identifier: ISC
# preflight-reasons.sh: the preflight reads a rejection reason as the
# seller does (alternatives joined by "or" need one of them, the most
# specific term wins, "or remove the logo" is met by a note recording the
# brand removed), and an ip_infringement case whose brand was removed is not
# blocked for lacking a trademark or authorization (issue 13).
. "$(dirname "$0")/lib.sh"

pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );
preflight: { brands = ( "Nike" ); };'
check "delistd starts" start_daemon "$conf"

printf 'I have rectified, please unblock' > "$T/template.txt"
# remove_brand ID PRODUCT OLD NEW: the title changed on the listing, and
# the change recorded with what was there before and after.
remove_brand() {
	ctl case note "$1" "removed the brand from the title" --field title --before "$3" --after "$4" >/dev/null
	ctl track main "$2" --title "$4" >/dev/null
}

# --- "trademark registration certificate or brand authorization" ------------------
P1=1005003000000001
ctl track main $P1 --title "Acme trail runner" >/dev/null
id=$(ctl case open main $P1 --reason ip_infringement)
ctl case appeal "$id" --platform-case 700 --statement "$T/template.txt" --force >/dev/null
ctl case decision "$id" --rejected "Please provide the trademark registration certificate or brand authorization" >/dev/null
printf '%s' "We attach the trademark registration certificate for the Acme brand shown in the title of listing $P1; the brand is registered to our own company." > "$T/s1.txt"
pdf "$T/AE${P1}_TRADEMARK_Registration.pdf" acme
run ctl case check "$id" --statement "$T/s1.txt" --attach "trademark:$T/AE${P1}_TRADEMARK_Registration.pdf"
check "one trademark document answers \"trademark registration certificate or brand authorization\" (exit 0)" expect_rc 0
check "... no rejection_unanswered" lacks "$OUT" "rejection_unanswered"
check "... the certificate in \"registration certificate\" asks for no CE/FCC one" lacks "$OUT" "a certificate"
pdf "$T/AE${P1}_INVOICE_Invoice.pdf" invoice
run ctl --json case check "$id" --statement "$T/s1.txt" --attach "invoice:$T/AE${P1}_INVOICE_Invoice.pdf"
check "an invoice does not answer it" contains "$OUT" '"code": "rejection_unanswered"'
check "... and the finding names both ways to meet it" contains "$OUT" "which asks for a trademark registration or an authorization, and none was added since: attach a new trademark or brand_authorization document"
run ctl case appeal "$id" --platform-case 701 --statement "$T/s1.txt" --attach "trademark:$T/AE${P1}_TRADEMARK_Registration.pdf"
check "the appeal with the trademark is recorded without --force" contains "$OUT" "appeal 2 recorded (platform case 701)"

# --- "... or remove the logo", answered by a note recording the removal ------------
P2=1005003000000002
ctl track main $P2 --title "Nike Air trail runner" >/dev/null
id2=$(ctl case open main $P2 --reason ip_infringement)
ctl case appeal "$id2" --platform-case 710 --statement "$T/template.txt" --force >/dev/null
ctl case decision "$id2" --rejected "请提供商标注册证或品牌授权书，或删除标题中的品牌" >/dev/null
printf '%s' "We removed the Nike brand name from the title of listing $P2; the new title is Air trail runner, see the attached screenshot of the live page with the address bar." > "$T/s2.txt"
run ctl --json case check "$id2" --statement "$T/s2.txt" --title "Air trail runner"
check "before the removal is recorded, the rejection is unanswered" contains "$OUT" '"code": "rejection_unanswered"'
check "... and the finding offers the removal too" contains "$OUT" "or the brand removed"
remove_brand "$id2" $P2 "Nike Air trail runner" "Air trail runner"
run ctl case check "$id2" --statement "$T/s2.txt"
check "a note removing the brand answers \"或删除品牌\" (exit 0)" expect_rc 0
check "... no rejection_unanswered" lacks "$OUT" "rejection_unanswered"

# --- ip_infringement, the brand removed, no trademark document ---------------------
P3=1005003000000003
ctl track main $P3 --title "Nike running shoes breathable" >/dev/null
id3=$(ctl case open main $P3 --reason ip_infringement)
printf '%s' "We removed the brand name Nike from the title of listing $P3 and sell it as unbranded running shoes; the new title is shown in the attached screenshot." > "$T/s3.txt"
run ctl --json case check "$id3" --statement "$T/s3.txt" --title "Running shoes breathable"
check "an ip_infringement case without documents or a removal: docs_missing" contains "$OUT" '"code": "docs_missing"'
check "... which names the removal as the other way" contains "$OUT" "once the brand is gone from the listing, record that"
remove_brand "$id3" $P3 "Nike running shoes breathable" "Running shoes breathable"
run ctl case check "$id3" --statement "$T/s3.txt"
check "with the brand's removal recorded, nothing blocks (exit 0)" expect_rc 0
check "... no docs_missing" lacks "$OUT" "docs_missing"
check "... a warning naming the path the appeal takes" sh -c 'printf "%s\n" "$1" | grep -q "^warning  *ip_brand_removed  *the appeal takes the brand-removed path, not the documents path: the note on the title removed \"Nike\""' _ "$OUT"
run ctl case appeal "$id3" --platform-case 720 --statement "$T/s3.txt"
check "... and the appeal is recorded without --force" contains "$OUT" "appeal 1 recorded (platform case 720)"

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
