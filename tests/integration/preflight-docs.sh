#!/bin/sh
# SPDX-License-Identifier: ISC
# preflight-docs.sh: the preflight's settings from delistd.conf (checked at
# -t with file:line, applied on reload) and the vault's documents in the
# preflight (a reason's needed document attached with case doc, expiry
# within the review, a brand authorized by a vault document). Issue 7.
. "$(dirname "$0")/lib.sh"

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
line_of() { grep -n "$1" "$conf" | head -n 1 | cut -d: -f1; }
pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }

P1=1005002000000001
# 2026-10-05T02:00:00Z, a Monday; the 9th is the Friday.
T0=1791165600
T_FRI=1791511200

conf=$T/delistd.conf
# --- the settings, checked -----------------------------------------------------
write_config "$conf" 'shops = ( { name = "main"; } );
preflight: {
	banned_terms = [ "forbidden", "" ];
	similarity_threshold = 1.5;
	shingle_words = 0;
	brands = ( { name = "Nike"; authorised = true; } );
	material_keywords = { certificates = [ "cert" ]; };
	colour = "red";
};'
run "$DELISTD" -t -c "$conf"
check "delistd -t refuses bad preflight settings (exit 1)" expect_rc 1
check "... an empty term, with file:line and key" contains "$ERR" "$conf:$(line_of banned_terms): preflight.banned_terms[1]: must not be empty"
check "... a similarity threshold out of range" contains "$ERR" "$conf:$(line_of similarity_threshold): preflight.similarity_threshold: must be more than 0 and at most 1"
check "... shingle_words out of range" contains "$ERR" "$conf:$(line_of shingle_words): preflight.shingle_words: 0 is out of range (1 to 8)"
check "... a brand's unknown key" contains "$ERR" "$conf:$(line_of authorised): preflight.brands[0].authorised: unknown key or wrong type"
check "... an unknown kind of material, naming the known ones" contains "$ERR" "$conf:$(line_of certificates): preflight.material_keywords.certificates: unknown kind of material (known: certificate, test_report, authorization, trademark, invoice, court_papers, ce, fcc, ukca, saso)"
check "... an unknown key, naming the known ones" contains "$ERR" "$conf:$(line_of colour): preflight.colour: unknown key (known keys here: template_phrases"

write_config "$conf" 'shops = ( { name = "main"; } );
preflight: {
	template_phrases = [ "we beg you", "求求你" ];
	min_words = 8;
	similarity_threshold = 0.9;
	banned_terms = [ "forbidden" ];
	brands = ( { name = "Nike"; authorized = false; }, { name = "Acme"; authorized = true; }, { name = "LG"; authorized = false; } );
	material_keywords = { invoice = [ "proof of purchase", "购货凭证" ]; court_papers = []; };
};'
run "$DELISTD" -t -c "$conf"
check "good preflight settings pass delistd -t" expect_rc 0

setclock $T0
check "delistd starts with them" start_daemon "$conf"
ctl track main $P1 --title "Nike Acme runner best quality forbidden" >/dev/null
id=$(ctl case open main $P1 --reason ip_infringement)
ctl case note "$id" "removed the brand names from the title" --field title >/dev/null
printf '%s' "We beg you: the title of listing $P1 no longer names a brand; see the attached authorization." > "$T/s.txt"
run ctl --json case check "$id" --statement "$T/s.txt"
check "a configured template phrase is found" contains "$OUT" '"code": "statement_template"'
check "... not too short at min_words 8" lacks "$OUT" '"code": "statement_too_short"'
check "a configured banned term is found" contains "$OUT" 'the title still holds \"forbidden\"'
check "... and the built-in ones are replaced" lacks "$OUT" '"best quality"'
check "a brand the shop is not authorized for" contains "$OUT" 'the title names the brand \"Nike\"'
check "... but not one the settings call authorized" lacks "$OUT" '\"Acme\"'
check "ip_infringement without a trademark or authorization: docs_missing" contains "$OUT" '"code": "docs_missing"'

# --- documents from the vault ----------------------------------------------------
pdf "$T/auth.pdf" nike
doc=$(ctl doc add "$T/auth.pdf" --type brand_authorization --shop main --issuer "Nike, Inc." --expires 2026-10-08 2>/dev/null)
ctl case doc "$id" "$doc" >/dev/null
printf '%s' "The title of listing $P1 no longer names a brand we hold no authorization for; the authorization from the brand owner is attached." > "$T/s2.txt"
run ctl --json case check "$id" --statement "$T/s2.txt"
check "a vault document attached to the case answers docs_missing" lacks "$OUT" '"code": "docs_missing"'
check "... a brand_authorization issued by the brand authorizes it" lacks "$OUT" '"code": "title_brand_unauthorized"'
check "... and its expiry within the review is a warning" contains "$OUT" '"code": "doc_expires_in_review"'
setclock $T_FRI
run ctl --json case check "$id" --statement "$T/s2.txt"
check "once it has expired, it is an error" contains "$OUT" '"code": "doc_expired"'
check "... and the brand is unauthorized again" contains "$OUT" '"code": "title_brand_unauthorized"'
check "... the error says how to fix it" contains "$OUT" "attach the renewed one, or detach it with delistctl case doc $id $doc --detach"
pdf "$T/auth2.pdf" nike-renewed
doc2=$(ctl doc add "$T/auth2.pdf" --type brand_authorization --shop main --issuer "Nike, Inc." --expires 2027-10-08 2>/dev/null)
ctl case doc "$id" "$doc2" >/dev/null
run ctl --json case check "$id" --statement "$T/s2.txt"
check "a renewed one of the same type attached: the expired one is no error" lacks "$OUT" '"code": "doc_expired"'
check "... and the brand is authorized by the renewal" lacks "$OUT" '"code": "title_brand_unauthorized"'

# A material whose content is in the vault is judged by the vault's record.
P2=1005002000000002
ctl track main $P2 --title "Plain runner" >/dev/null
id2=$(ctl case open main $P2 --reason ip_infringement)
ctl case note "$id2" "replaced the main image" --field image >/dev/null
pdf "$T/tm.pdf" trademark
ctl doc add "$T/tm.pdf" --type trademark --shop main --products 1005002000000099 >/dev/null 2>&1
run ctl --json case check "$id2" --statement "$T/s2.txt" --attach "brand_authorization:$T/auth.pdf"
check "an attached file the vault knows as expired is doc_expired" contains "$OUT" '"code": "doc_expired"'
run ctl --json case check "$id2" --statement "$T/s2.txt" --attach "trademark:$T/tm.pdf"
check "one the vault says covers another product is doc_other_product" contains "$OUT" '"code": "doc_other_product"'
check "... and either answers docs_missing" lacks "$OUT" '"code": "docs_missing"'

# A brand_authorization names the brand as a word: "LG" is not in "Bulgaria".
P3=1005002000000003
ctl track main $P3 --title "LG washer drain pump" >/dev/null
id3=$(ctl case open main $P3 --reason ip_infringement)
pdf "$T/bg.pdf" bulgaria
ctl doc add "$T/bg.pdf" --type brand_authorization --shop main --issuer "Bulgaria Trading Ltd" >/dev/null 2>&1
run ctl --json case check "$id3"
check "an authorization issued by \"Bulgaria Trading Ltd\" does not authorize LG" contains "$OUT" 'the title names the brand \"LG\"'
pdf "$T/lg.pdf" lg
ctl doc add "$T/lg.pdf" --type brand_authorization --shop main --issuer "LG Electronics Inc." >/dev/null 2>&1
run ctl --json case check "$id3"
check "... one issued by \"LG Electronics Inc.\" does" lacks "$OUT" 'the title names the brand \"LG\"'

# --- the state database failing is the daemon's fault (500), not the request's ---
db() { sqlite3 -cmd '.timeout 5000' "$STATE/delistd.db" "$1"; }
db 'ALTER TABLE documents RENAME TO documents_away'
api POST "/v1/cases/$id/preflight" -H 'Content-Type: application/json' -d '{}'
check "a store failure under the preflight is answered 500" equals "$HTTP" 500
check "... code preflight" contains "$BODY" '"code": "preflight"'
db 'ALTER TABLE documents_away RENAME TO documents'
run ctl --json case check "$id3"
check "... and once it is back, the preflight answers again" contains "$OUT" '"findings"'

# --- reload applies new settings; a bad one keeps the old --------------------------
sed -i 's/banned_terms = \[ "forbidden" \];/banned_terms = [ "runner" ];/' "$conf"
run ctl reload
check "reload with new settings" expect_rc 0
run ctl --json case check "$id" --statement "$T/s2.txt"
check "... applies them" contains "$OUT" 'the title still holds \"runner\"'
check "... the old term is gone" lacks "$OUT" 'the title still holds \"forbidden\"'
sed -i 's/min_words = 8;/min_words = -1;/' "$conf"
run ctl reload
check "a reload with a bad setting fails" expect_rc 1
check "... naming file:line" contains "$ERR" "$conf:$(line_of min_words): preflight.min_words: -1 is out of range"
run ctl --json case check "$id" --statement "$T/s2.txt"
check "... and the running settings stay" contains "$OUT" 'the title still holds \"runner\"'

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
