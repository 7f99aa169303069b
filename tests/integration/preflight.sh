#!/bin/sh
# SPDX-License-Identifier: ISC
# preflight.sh: `delistctl case check`, what would get an appeal rejected,
# said before the seller submits it (changes nothing); `case appeal` runs
# the same preflight, refuses errors unless --force and records the result
# and the override in the trail and the dossier (issue 7).
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"
ctl track main 1005001234567890 --title "Best quality LED strip No.1" >/dev/null
id=$(ctl case open main 1005001234567890 --reason prohibited_words)
ctl case note "$id" "removed the absolute terms" --field title >/dev/null

printf 'I have rectified, please unblock' > "$T/template.txt"
run ctl case check "$id" --statement "$T/template.txt"
check "a template statement is an error (exit 4, the preflight blocks)" expect_rc 4
check "... naming the stock phrase" contains "$OUT" 'statement_template'
check "... too short" contains "$OUT" 'statement_too_short'
check "... naming no rectified field (the notes say: title)" contains "$OUT" 'the notes say: title'
check "the listing's title still holds banned terms" contains "$OUT" 'the title still holds "No.1"'
check "... and says how many errors block the appeal" contains "$OUT" '5 errors: fix them before you appeal'

printf '%s' "We removed the absolute terms best quality and No.1 from the title of listing 1005001234567890; the new title is LED strip 5m warm white, see the attached screenshots with the address bar." > "$T/good.txt"
printf '%%PDF-1.4\n%%%%EOF\n' > "$T/AE1005001234567890_OTHER_Screens.pdf"
run ctl case check "$id" --statement "$T/good.txt" --title "LED strip 5m warm white" --attach "$T/AE1005001234567890_OTHER_Screens.pdf"
check "a specific statement and a clean title pass (exit 0)" expect_rc 0
check "... saying nothing was found" contains "$OUT" "nothing found that would get the appeal rejected"

run ctl --json case check "$id" --statement "$T/good.txt" --attach "$T/screens.jpg"
check "a missing attachment is refused before anything is sent" contains "$ERR" "screens.jpg"

# An appeal runs the preflight: errors refuse it, --force records it anyway.
run ctl case appeal "$id" --platform-case 500 --statement "$T/template.txt"
check "an appeal the preflight finds errors in is refused (exit 4)" expect_rc 4
check "... printing each finding: severity, code, what to do" sh -c 'printf "%s\n" "$1" | grep -q "^error  *statement_template  *the statement" && printf "%s\n" "$1" | grep -q "^error  *title_banned_term "' _ "$ERR"
check "... and why, with how to override" contains "$ERR" "the preflight found 5 errors that would get this appeal rejected: fix them first (delistctl case check $id lists them) (use --force to override)"
api POST "/v1/cases/$id/appeals" -H 'Content-Type: application/json' -d '{"platform_case_id":"500","statement":"I have rectified, please unblock"}'
check "... the API answers 422 preflight_failed, forceable, with the findings" sh -c '[ "$1" = 422 ] && printf "%s" "$2" | grep -q "\"code\": *\"preflight_failed\"" && printf "%s" "$2" | grep -Eq "\"forceable\": *true" && printf "%s" "$2" | grep -q "\"code\": *\"statement_template\""' _ "$HTTP" "$BODY"
run ctl --json case show "$id"
check "... and nothing was recorded" sh -c '! printf "%s" "$1" | grep -q "\"platform_case_id\""' _ "$OUT"
run ctl case appeal "$id" --platform-case 500 --statement "$T/template.txt" --force
check "with --force the appeal is recorded" contains "$OUT" "appeal 1 recorded (platform case 500)"
check "... printing the findings it overrode" contains "$OUT" "overridden with --force: preflight:statement_template"
ev=$(ctl --json events --case "$id" | tr -d '\n ' | sed 's/"type":/\n&/g' | grep '^"type":"case.appealed"')
check "the trail's case.appealed event records the preflight and the override" sh -c 'printf "%s" "$1" | grep -q "\"preflight\":{\"errors\":5,\"warnings\":0,\"findings\":\[{\"code\":\"statement_template\",\"severity\":\"error\"}" && printf "%s" "$1" | grep -q "\"overridden\":true" && printf "%s" "$1" | grep -q "\"forced\":\"[^\"]*preflight:statement_template"' _ "$ev"
run ctl case export "$id"
check "the dossier shows the override" contains "$OUT" "preflight:statement_template"
run ctl case decision "$id" --rejected "template statement"
check "... the forced appeal is rejected" expect_rc 0

# A passing statement with a warning: recorded, the warning printed.
ctl track main 1005001234567890 --title "LED strip 5m warm white" >/dev/null
printf '%%PDF-1.4\n%%%%EOF\n' > "$T/screens.pdf"
run ctl case appeal "$id" --platform-case 501 --statement "$T/good.txt" --attach "$T/screens.pdf"
check "an appeal with only warnings is recorded" contains "$OUT" "appeal 2 recorded (platform case 501)"
check "... printing the warning" sh -c 'printf "%s\n" "$1" | grep -q "^warning *doc_name "' _ "$OUT"
run ctl --json case show "$id"
check "... overriding nothing" sh -c 'printf "%s" "$1" | tr -d "\n " | grep -q "\"n\":2,.*\"forced\":\[\]"' _ "$OUT"

# Once an appeal with that statement was rejected, the same one is flagged.
ctl case decision "$id" --rejected "please provide the certificate" >/dev/null
run ctl --json case check "$id" --statement "$T/good.txt" --title "LED strip 5m warm white"
check "resending a rejected statement is flagged" contains "$OUT" '"code": "statement_similar"'
check "... and the rejection asked for a certificate nothing added" contains "$OUT" '"code": "rejection_unanswered"'
check "... with ok false" contains "$OUT" '"ok": false'
run ctl case check 999
check "an unknown case is refused (exit 1)" sh -c '[ "$1" = 1 ] && case "$2" in *"not found"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
run ctl --json case show "$id"
check "a check changes nothing: still rectifying" sh -c 'printf "%s" "$1" | grep -q "\"state\": \"rectifying\"" && [ "$(printf "%s" "$1" | grep -c "\"platform_case_id\"")" -ge 1 ]' _ "$OUT"

# Evasion risk: a new listing with the title of one whose case is open.
ctl track main 1005007777777777 --title "led-strip 5M warm   WHITE" >/dev/null
run ctl --json events
check "a new listing titled like one with an open case raises listing.evasion_risk" contains "$OUT" '"type": "listing.evasion_risk"'
check "... as a warning naming the open case" sh -c 'printf "%s" "$1" | grep -A8 "\"type\": \"listing.evasion_risk\"" | grep -q "\"severity\": \"warning\""' _ "$OUT"
check "... and it reaches syslog (the log)" wait_for 5 grep -q "listing.evasion_risk main/1005007777777777" "$T/daemon.log"
ctl track main 1005008888888888 --title "Another product" >/dev/null
run ctl --json events
check "a listing with another title raises nothing" sh -c '[ "$(printf "%s" "$1" | grep -c "listing.evasion_risk")" = 1 ]' _ "$OUT"

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
