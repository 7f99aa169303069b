#!/bin/sh
# SPDX-License-Identifier: ISC
# vault.sh: the document vault through the real delistd and delistctl.
#
# Every doc verb, good and bad: PDF, JPEG and PNG files made here byte by
# byte (printf; PNG chunks with their CRCs written out), a small JPEG
# refused with its measured size, truncated and foreign files refused with
# what is wrong, the same content stored once, files 0600 in a 0700
# directory named by their SHA-256, the file-name convention (a warning,
# --rename), a brand authorization chain, doc list filters, doc show, doc
# get, case doc (in case show and the export), doc rm refused while an
# open case refers to the document (attached, or in an appeal's materials
# by hash) and allowed once it is closed, the upload size limit
# (daemon.max_upload) next to the JSON routes' own, and the API's refusals.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v sha256sum >/dev/null 2>&1 || { echo "1..0 # SKIP sha256sum is missing"; exit 0; }

# hexbin HEX: the bytes written in hex (POSIX printf has octal escapes only).
hexbin() {
	for _b in $(echo "$1" | sed 's/../& /g'); do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "0x$_b")"
	done
}
# jpeg FILE WIDTH HEIGHT: a baseline JPEG header, one grey component.
jpeg() {
	hexbin "ffd8ffc0000b08$(printf '%04x%04x' "$3" "$2")01011100ffda0008010100003f00" > "$1"
	printf 'scan' >> "$1"
	hexbin ffd9 >> "$1"
}
# pdf FILE TEXT: a small PDF whose content differs with TEXT.
pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }
# PNG 1000x800 grey, IHDR with its CRC, then IEND.
png() {
	hexbin 89504e470d0a1a0a0000000d49484452000003e8000003200800000000957317e10000000049454e44ae426082 > "$1"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
mode_of() { stat -c %a "$1"; }
ndocs() { ctl --json doc list | grep -c '"sha256"'; }

P1=1005001000000001
P2=1005001000000002
P3=1005001000000003

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; }, { name = "eu"; timezone = "Europe/Berlin"; } );'
# What a crash in the middle of an upload would have left.
mkdir -p "$STATE/documents"
chmod 700 "$STATE" "$STATE/documents"
echo partial > "$STATE/documents/.upload.AbC123"
check "delistd starts" start_daemon "$conf"
DOCS=$STATE/documents

# --- doc add: a PDF ----------------------------------------------------------
pdf "$T/cert.pdf" one
run ctl doc add "$T/cert.pdf" --type ce --shop main --products "$P1,$P2" --issuer "TÜV Rheinland" --expires 2099-06-30
check "doc add stores a PDF and prints its id" equals "$OUT" 1
check "... and warns that the name is off the convention" contains "$ERR" 'warning: file name "cert.pdf" does not follow the convention AE<product id>_<TYPE>_<description>.<pdf|jpg>'
check "... saying to use --rename" contains "$ERR" "--rename"
check "... exit 0" expect_rc 0
S1=$(sha "$T/cert.pdf")
check "the file is stored under documents/<sha256>" test -f "$DOCS/$S1"
check "... with the same bytes" cmp "$DOCS/$S1" "$T/cert.pdf"
check "... mode 0600" equals "$(mode_of "$DOCS/$S1")" 600
check "the documents directory is 0700" equals "$(mode_of "$DOCS")" 700
check "no temporary file is left (nor one a crash left)" equals "$(find "$DOCS" -maxdepth 1 -name '.upload*' | grep -c .)" 0

run ctl doc add "$T/cert.pdf" --type ce
check "the same content again is the same document" equals "$OUT" 1
check "... and doc add says so" contains "$ERR" "the same content is already in the vault as document 1"
check "... nothing new is stored" equals "$(ndocs)" 1
check "... and no name warning for it" lacks "$ERR" "warning"
cp "$T/cert.pdf" "$T/copy.jpg"
run ctl doc add "$T/copy.jpg" --type fcc
check "a copy under another name (and extension) is the same document too" equals "$OUT" 1

# --- JPEG and PNG -----------------------------------------------------------
jpeg "$T/AE${P1}_FCC_Test-Report.jpg" 800 1000
run ctl doc add "$T/AE${P1}_FCC_Test-Report.jpg" --type fcc --products "$P1"
check "a JPEG of 800x1000 with a conventional name is stored" equals "$OUT" 2
check "... without a warning" equals "$ERR" ""
run ctl --json doc show 2
check "... its format and size are measured" contains "$OUT" '"format": "jpeg"'
check "... width 800" contains "$OUT" '"width": 800'
check "... height 1000" contains "$OUT" '"height": 1000'
png "$T/scan.png"
run ctl doc add "$T/scan.png" --type invoice --shop main
check "a PNG of 1000x800 (landscape) is stored" equals "$OUT" 3
check "... with a warning (the convention names PDF or JPG)" contains "$ERR" "does not follow the convention"

# --- refusals: nothing is stored ---------------------------------------------
before=$(ls "$DOCS" | wc -l)
jpeg "$T/small.jpg" 480 400
run ctl doc add "$T/small.jpg" --type ce
check "a JPEG below 600x800 is refused (exit 1)" expect_rc 1
check "... with its measured size" contains "$ERR" "image is 480×400"
jpeg "$T/thin.jpg" 599 1200
run ctl doc add "$T/thin.jpg" --type ce
check "a 599x1200 JPEG is refused too" contains "$ERR" "image is 599×1200; at least 600×800 is needed"
head -c 30 "$T/cert.pdf" > "$T/trunc.pdf"
run ctl doc add "$T/trunc.pdf" --type ce
check "a truncated PDF is refused" contains "$ERR" "trunc.pdf: PDF truncated: no %%EOF marker"
head -c 20 "$T/AE${P1}_FCC_Test-Report.jpg" > "$T/trunc.jpg"
run ctl doc add "$T/trunc.jpg" --type ce
check "a truncated JPEG is refused" contains "$ERR" "trunc.jpg: JPEG"
check "... exit 1" expect_rc 1
printf 'PK\003\004zipped' > "$T/AE${P1}_CE_x.pdf"
run ctl doc add "$T/AE${P1}_CE_x.pdf" --type ce
check "a ZIP named .pdf is refused by its content" contains "$ERR" "not a PDF, JPEG or PNG (starts with 50 4B 03 04: a ZIP file?)"
: > "$T/empty.pdf"
run ctl doc add "$T/empty.pdf" --type ce
check "an empty file is refused" contains "$ERR" "empty"
pdf "$T/new.pdf" new
run ctl doc add "$T/new.pdf" --type certificate
check "an unknown type is refused" contains "$ERR" 'unknown document type "certificate" (one of: ce, fcc, ukca, saso, test_report, trademark, brand_authorization, invoice, court_order, dismissal, other)'
run ctl doc add "$T/new.pdf" --type ce --expires 2027-02-30
check "an impossible date is refused" contains "$ERR" 'invalid date "2027-02-30": February 2027 has 28 days'
run ctl doc add "$T/new.pdf" --type ce --expires 30.06.2027
check "a date not YYYY-MM-DD is refused" contains "$ERR" "expected YYYY-MM-DD"
run ctl doc add "$T/new.pdf" --type ce --shop outlet
check "an unknown shop is refused" contains "$ERR" 'unknown shop "outlet" (configured: main, eu)'
run ctl doc add "$T/new.pdf" --type ce --products ", ,"
check "an empty product list is refused" contains "$ERR" "the product list is empty"
run ctl doc add "$T/new.pdf" --type ce --products "$P1,12ab"
check "a bad product ID is refused" contains "$ERR" '"12ab" is not a product ID'
run ctl doc add "$T/new.pdf" --type ce --chain-of 1
check "--chain-of on another type is refused" contains "$ERR" "--chain-of links brand_authorization documents"
run ctl doc add "$T/new.pdf" --type brand_authorization --chain-of 99
check "--chain-of an unknown document is refused" contains "$ERR" "--chain-of 99: no such document"
run ctl doc add "$T/new.pdf" --type ce --rename
check "--rename without --products is refused" contains "$ERR" "--rename needs --products"
run ctl doc add "$T/scan.png" --type invoice --products "$P1" --rename
check "--rename of a PNG is refused" contains "$ERR" "convert it to PDF or JPG"
run ctl doc add "$T/nonexistent.pdf" --type ce
check "a missing file is refused by delistctl" contains "$ERR" "cannot read $T/nonexistent.pdf"
run ctl doc add "$T/new.pdf"
check "doc add without --type is a usage error (exit 2)" expect_rc 2
check "nothing was stored by any refusal" equals "$(ls "$DOCS" | wc -l)" "$before"
check "... nor recorded" equals "$(ndocs)" 3

# --- --rename -----------------------------------------------------------------
pdf "$T/EU declaration of conformity.pdf" decl
run ctl doc add "$T/EU declaration of conformity.pdf" --type ce --products "$P2,$P1" --rename
check "--rename stores it" equals "$OUT" 4
check "... under the conventional name" contains "$ERR" "stored as AE${P2}_CE_EU_declaration_of_conformity.pdf"
run ctl --json doc show 4
check "... which doc show gives as its name" contains "$OUT" "\"name\": \"AE${P2}_CE_EU_declaration_of_conformity.pdf\""
check "... keeping the original name" contains "$OUT" '"original_name": "EU declaration of conformity.pdf"'
pdf "$T/AE${P3}_TEST-REPORT_SGS.pdf" sgs
run ctl doc add "$T/AE${P3}_TEST-REPORT_SGS.pdf" --type test_report --products "$P3"
check "a conventional name with a two-word type needs no warning" equals "$ERR" ""
pdf "$T/AE${P3}_FCC_x.pdf" mismatch
run ctl doc add "$T/AE${P3}_FCC_x.pdf" --type ce --products "$P3"
check "a name giving another type is warned about" contains "$ERR" "it says type fcc, the document is ce"

# --- a brand authorization chain ---------------------------------------------
pdf "$T/owner.pdf" owner
pdf "$T/dist.pdf" dist
pdf "$T/seller.pdf" seller
A1=$(ctl doc add "$T/owner.pdf" --type brand_authorization --issuer "Brand Owner Ltd" 2>/dev/null)
A2=$(ctl doc add "$T/dist.pdf" --type brand_authorization --issuer "Distributor GmbH" --chain-of "$A1" 2>/dev/null)
A3=$(ctl doc add "$T/seller.pdf" --type brand_authorization --shop main --chain-of "$A2" 2>/dev/null)
run ctl doc show "$A3"
check "doc show gives the chain brand owner -> distributor -> seller" contains "$OUT" "$A1 owner.pdf (Brand Owner Ltd) -> $A2 dist.pdf (Distributor GmbH) -> $A3 seller.pdf"
run ctl --json doc show "$A1"
check "... and the owner's link names the next one" contains "$(echo "$OUT" | tr -d ' \n')" "\"chain_next\":[$A2]"

# --- doc list ----------------------------------------------------------------
SOON=$(date -u -d '+10 days' +%F)
pdf "$T/soon.pdf" soon
ctl doc add "$T/soon.pdf" --type saso --shop eu --expires "$SOON" >/dev/null 2>&1
run ctl doc list
check "doc list prints a table" contains "$OUT" "ID  TYPE"
check "... with every document" equals "$(echo "$OUT" | grep -c '^[0-9]')" "$(ndocs)"
check "... and the columns aligned" equals "$(echo "$OUT" | awk '{ print index($0, $2) }' | sort -u | wc -l | tr -d ' ')" 1
run ctl doc list --expiring 30d
check "doc list --expiring 30d lists the one expiring in 10 days" contains "$OUT" "soon.pdf"
check "... not the one expiring in 2099" lacks "$OUT" "cert.pdf"
run ctl doc list --shop eu
check "doc list --shop eu lists its documents only" equals "$(echo "$OUT" | grep -c '^[0-9]')" 1
run ctl doc list --type fcc
check "doc list --type fcc" contains "$OUT" "AE${P1}_FCC_Test-Report.jpg"
check "... only fcc" equals "$(echo "$OUT" | grep -c '^[0-9]')" 1
run ctl doc list --expiring soon
check "a bad --expiring is refused" contains "$ERR" "expiring:"
run ctl doc list --type bogus
check "a bad --type is refused" contains "$ERR" 'unknown document type "bogus"'

pdf "$T/old.pdf" old
run ctl doc add "$T/old.pdf" --type ukca --products "$P3" --expires 2020-01-01
check "a document that has expired is stored with a warning" contains "$ERR" "warning: it expired at the end of 2020-01-01"
check "... and doc.expired is raised at once" wait_for 5 sh -c "'$DELISTCTL' -s '$SOCK' --json events | grep -q '\"type\": \"doc.expired\"'"

# --- doc get -----------------------------------------------------------------
run ctl doc get 2 -o "$T/got.jpg"
check "doc get -o writes the file" cmp "$T/got.jpg" "$T/AE${P1}_FCC_Test-Report.jpg"
check "... mode 0600" equals "$(mode_of "$T/got.jpg")" 600
ctl doc get 1 > "$T/got.pdf"
check "doc get to standard output" cmp "$T/got.pdf" "$T/cert.pdf"
run ctl doc get 99 -o "$T/none"
check "doc get of an unknown document fails" contains "$ERR" "document 99 not found"
api GET /v1/documents/2/content
check "GET /v1/documents/2/content" equals "$HTTP" 200

# --- case doc ----------------------------------------------------------------
ctl track main "$P1" >/dev/null
ctl track main "$P2" >/dev/null
C=$(ctl case open main "$P1" --reason missing_certification)
run ctl case doc "$C" 1
check "case doc attaches a document" contains "$OUT" "document 1 attached to case $C"
run ctl case show "$C"
check "case show lists it under documents" contains "$OUT" "documents"
check "... by name" contains "$OUT" "cert.pdf"
check "... and the trail has case.document" contains "$OUT" "case.document"
run ctl case export "$C"
check "the export names it" contains "$OUT" "cert.pdf"
check "... with its SHA-256" contains "$OUT" "$S1"
run ctl case export "$C" --format json
check "the JSON export has it under documents" contains "$OUT" '"documents"'
run ctl case doc "$C" 1
check "attaching it twice is refused" contains "$ERR" "document 1 is already attached to case $C"
api POST "/v1/cases/$C/documents" -H 'Content-Type: application/json' -d '{"document": 1}'
check "... by the API: 409 already_attached, not forceable, as every 409 says" sh -c '[ "$1" = 409 ] && printf "%s" "$2" | grep -q "\"code\": *\"already_attached\"" && printf "%s" "$2" | grep -Eq "\"forceable\": *false"' _ "$HTTP" "$BODY"
run ctl case doc "$C" 99
check "attaching an unknown document is refused" contains "$ERR" "no document 99"
run ctl case doc 999 1
check "attaching to an unknown case is refused" contains "$ERR" "case 999 not found"
run ctl case doc "$C" abc
check "a document id that is not a number is refused" expect_rc 1
run ctl doc show 1
check "doc show names the case" contains "$OUT" "case $C (open): attached"
check "... and the listings it covers" contains "$OUT" "main/$P1 (open case $C)"
check "... both of them" contains "$OUT" "main/$P2"

# --- another listing's document: refused unless forced, and detached -----------
pdf "$T/other.pdf" other
O=$(ctl doc add "$T/other.pdf" --type ce --shop main --products 1005009999999999 2>/dev/null)
run ctl case doc "$C" "$O"
check "attaching another product's document is refused" contains "$ERR" "document $O (other.pdf) is for product 1005009999999999 of shop main, not main/$P1 of case $C"
check "... saying why and how to override" contains "$ERR" "it would fail every appeal of the case (doc_other_product); attach the document issued for this listing, or use --force"
check "... exit 1" expect_rc 1
api POST "/v1/cases/$C/documents" -H 'Content-Type: application/json' -d "{\"document\": $O}"
check "... by the API: 409, forceable" contains "$HTTP $BODY" '"forceable": true'
run ctl case doc "$C" "$O" --force
check "... and taken with --force" contains "$OUT" "document $O attached to case $C"
run ctl --json case check "$C"
check "attached, it fails the preflight, saying how to take it off" contains "$OUT" "detach this one with delistctl case doc $C $O --detach"
run ctl case doc "$C" "$O" --detach
check "case doc --detach takes it off" contains "$OUT" "document $O detached from case $C"
api GET "/v1/cases/$C/documents"
check "... it is no longer among the case's documents" lacks "$BODY" "other.pdf"
check "... and the first one is" contains "$BODY" "cert.pdf"
run ctl --json case check "$C"
check "... and the preflight no longer names it" lacks "$OUT" "other.pdf"
run ctl --json events
check "... with a case.document event saying detached" contains "$(echo "$OUT" | tr -d ' \n')" '"detached":true'
run ctl case doc "$C" "$O" --detach
check "detaching it again is refused" contains "$ERR" "document $O is not attached to case $C"
check "... exit 1" expect_rc 1
run ctl case doc "$C" "$O" --detach --force
check "--detach with --force is a usage error" expect_rc 2
api DELETE "/v1/cases/$C/documents/abc"
check "DELETE /v1/cases/ID/documents/abc is 404" equals "$HTTP" 404
run ctl doc rm "$O"
check "once detached, doc rm is allowed" contains "$OUT" "document $O removed"

# --- an appeal's upper-case SHA-256 still guards the vault document ----------
pdf "$T/upper.pdf" upper
U=$(ctl doc add "$T/upper.pdf" --type ce --shop main --products "$P2" 2>/dev/null)
SU=$(sha "$T/upper.pdf" | tr a-f A-F)
C2=$(ctl case open main "$P2" --reason missing_certification)
ctl case note "$C2" "uploaded the CE certificate" --field certificate >/dev/null
api POST "/v1/cases/$C2/appeals" -H 'Content-Type: application/json' -d "{\"platform_case_id\": \"5012345679\", \"statement\": \"We uploaded the CE certificate of listing $P2, issued by TUV, and fixed the title.\", \"materials\": [{\"name\": \"upper.pdf\", \"type\": \"ce\", \"sha256\": \"$SU\", \"size\": $(wc -c < "$T/upper.pdf")}], \"force\": true}"
check "an appeal whose material has an upper-case SHA-256 is recorded" equals "$HTTP" 201
check "... stored in lower case" contains "$BODY" "\"sha256\": \"$(sha "$T/upper.pdf")\""
check "... naming the vault document" contains "$BODY" "\"document\": $U"
api DELETE "/v1/documents/$U"
check "... and doc rm of that document is refused (409)" equals "$HTTP" 409
check "... naming the appeal" contains "$BODY" "document $U is in the materials of appeal 1 of case $C2"

# --- doc rm ------------------------------------------------------------------
run ctl doc rm 1
check "doc rm of a document an open case has is refused" contains "$ERR" "document 1 is attached to case $C, which is still open"
check "... exit 1" expect_rc 1
check "... and its file stays" test -f "$DOCS/$S1"
# An appeal's materials refer to a document by hash, attached or not.
S4=$(sha "$T/EU declaration of conformity.pdf")
printf 'We removed the unlicensed logo from the main image and uploaded the CE certificate AE%s issued by TUV.\n' "$P1" > "$T/stmt.txt"
ctl case note "$C" "uploaded the CE certificate" --field certificate >/dev/null
run ctl case appeal "$C" --platform-case 5012345678 --statement "$T/stmt.txt" --attach "ce:$T/EU declaration of conformity.pdf" --force
check "an appeal with the file of document 4 is recorded" expect_rc 0
run ctl --json case show "$C"
check "... and its material names the vault document by its content" contains "$OUT" '"document": 4'
run ctl doc rm 4
check "doc rm of a document in an open case's appeal is refused" contains "$ERR" "document 4 is in the materials of appeal 1 of case $C"
run ctl doc show 4
check "doc show names the appeal" contains "$OUT" "case $C (appealed): in the materials of appeal 1"
run ctl doc rm 3
check "doc rm of a document nothing refers to" contains "$OUT" "document 3 removed: scan.png"
check "... removes its file" test ! -e "$DOCS/$(sha "$T/scan.png")"
check "... and it leaves the list" equals "$(ctl doc list | grep -c scan.png)" 0
run ctl doc rm 3
check "doc rm twice is refused" contains "$ERR" "no document 3 (it was removed)"
api GET /v1/documents/3/content
check "the content of a removed document is gone (410)" equals "$HTTP" 410
run ctl doc rm 99
check "doc rm of an unknown document is refused" contains "$ERR" "no document 99"
ctl case abandon "$C" >/dev/null
run ctl doc rm 4
check "once the case is closed, doc rm is allowed" contains "$OUT" "document 4 removed"
check "... and removes the file" test ! -e "$DOCS/$S4"
run ctl doc rm 1
check "a document attached to a closed case can be removed" contains "$OUT" "document 1 removed"
api GET "/v1/cases/$C/documents"
check "... and the closed case still lists it" contains "$BODY" "cert.pdf"
check "... marked removed" contains "$BODY" '"removed": true'
run ctl case show "$C"
check "... so does case show" contains "$OUT" "cert.pdf (removed from the vault)"
run ctl case export "$C"
check "... and the export" contains "$OUT" "cert.pdf (removed from the vault)"
run ctl doc add "$T/EU declaration of conformity.pdf" --type ce --products "$P2"
check "the same content can be added again after rm, as a new document" expect_rc 0
check "... with a new id" test "$OUT" != 4
run ctl --json events
check "doc.added is in the trail" contains "$OUT" '"type": "doc.added"'
check "doc.removed is in the trail" contains "$OUT" '"type": "doc.removed"'

# --- the API -----------------------------------------------------------------
api POST "/v1/documents?name=x.pdf" --data-binary "@$T/new.pdf"
check "POST /v1/documents without type is 400" equals "$HTTP" 400
api POST "/v1/documents?type=ce&name=x.pdf&colour=red" --data-binary "@$T/new.pdf"
check "an unknown query parameter is 400" contains "$BODY" 'unknown query parameter \"colour\"'
api POST "/v1/documents?type=ce&name=x.pdf"
check "an empty body is 400" equals "$HTTP" 400
api POST "/v1/documents?type=ce" --data-binary "@$T/new.pdf"
check "a missing name is 400" contains "$BODY" "file name"
api POST "/v1/documents?type=ce&name=a%2Fb.pdf" --data-binary "@$T/new.pdf"
check "a name with a / is 400" equals "$HTTP" 400
api POST "/v1/documents?type=ce&name=small.jpg" -H 'Content-Type: application/octet-stream' --data-binary "@$T/small.jpg"
check "a small image is 422" equals "$HTTP" 422
check "... code low_resolution" contains "$BODY" '"low_resolution"'
api POST "/v1/documents?type=ce&name=new.pdf&expires=2030-01-01" --data-binary "@$T/new.pdf"
check "curl --data-binary is enough to upload (201)" equals "$HTTP" 201
check "... answering the document" contains "$BODY" '"expires": "2030-01-01"'
api POST "/v1/documents?type=ce&name=new.pdf" --data-binary "@$T/new.pdf"
check "the same upload again is 200 with duplicate: true" contains "$HTTP $BODY" '200'
check "... duplicate" contains "$BODY" '"duplicate": true'
api DELETE /v1/documents/abc
check "DELETE /v1/documents/abc is 404" equals "$HTTP" 404
api GET "/v1/documents?case=x"
check "a bad case filter is 400" equals "$HTTP" 400

# --- sizes: uploads take more than JSON --------------------------------------
{ printf '%%PDF-1.4\n'; head -c 1500000 /dev/zero | tr '\0' 'a'; printf '\n%%%%EOF\n'; } > "$T/big.pdf"
run ctl doc add "$T/big.pdf" --type test_report
check "a 1.5 MB document is taken (max_upload defaults to 32M)" expect_rc 0
head -c 2000000 /dev/zero | tr '\0' 'a' > "$T/big.json"
api POST /v1/listings -H 'Content-Type: application/json' --data-binary "@$T/big.json"
check "a JSON body of 2 MB is still refused (413)" equals "$HTTP" 413
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; max_upload = "1M"; };
shops = ( { name = "main"; }, { name = "eu"; timezone = "Europe/Berlin"; } );
CONF
run ctl reload
check "a reload sets max_upload = 1M" expect_rc 0
{ printf '%%PDF-1.4\n'; head -c 1200000 /dev/zero | tr '\0' 'b'; printf '\n%%%%EOF\n'; } > "$T/big2.pdf"
run ctl doc add "$T/big2.pdf" --type test_report
check "then a 1.2 MB upload is refused" contains "$ERR" "at most 1048576 are accepted (daemon.max_upload)"
{ printf '%%PDF-1.4\n'; head -c 5000000 /dev/zero | tr '\0' 'c'; printf '\n%%%%EOF\n'; } > "$T/big5.pdf"
run ctl doc add "$T/big5.pdf" --type test_report
check "a 5 MB upload is refused before it is read, with a clear line" contains "$ERR" "more than delistd takes (max_upload in delistd.conf)"
check "... exit 1" expect_rc 1
check "the daemon is still up" sock_up
cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$STATE"; max_upload = "lots"; };
CONF
run "$DELISTD" -t -c "$T/bad.conf"
check "a bad max_upload is refused with file:line" contains "$ERR" "bad.conf:1"
check "... naming the key's problem" contains "$ERR" '"lots" is not a size'

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
