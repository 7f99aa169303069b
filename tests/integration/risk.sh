#!/bin/sh
# SPDX-License-Identifier: ISC
# risk.sh: linked-listing and evasion risk from shared images (issue 7).
# A case opened for ip_infringement or unauthorized_media warns every other
# tracked listing older than the case that shows one of its pictures
# (listing.linked_risk); a listing created after a case was opened that
# shows a picture or the title of its listing, when first seen or later,
# looks like a relisting (listing.evasion_risk).
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; }, { name = "second"; } );'
# On the test clock: what came before a case and after it is told by time.
T0=$(date +%s)
setclock "$T0"
check "delistd starts" start_daemon "$conf"

# One event per line; of_type TYPE [PRODUCT]: those of a type (about a product).
events() {
	ctl --json events |
	    awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'
}
of_type() { events | grep "\"type\": \"$1\"" | grep "${2:-}" || true; }
n_of() { of_type "$1" "${2:-}" | grep -c . || true; }
is_n() { equals "$(n_of "$1" "$2")" "$3"; }
# Both risks about a listing.
n_risks() { echo $(($(n_of listing.evasion_risk "$1") + $(n_of listing.linked_risk "$1"))); }

CDN=https://ae01.alicdn.com/kf
ctl track main 1005000000000001 --title "Red canvas sneaker" \
    --image "$CDN/Hshared01.jpg" --image "$CDN/Honlyone.jpg" >/dev/null
ctl track main 1005000000000002 --title "Blue canvas sneaker" \
    --image "//ae04.alicdn.com/kf/Hshared01.jpg_640x640.jpg?v=3#zoom" >/dev/null
ctl track second 1005000000000003 --title "Green canvas sneaker" \
    --image "https://ae03.alicdn.com/kf/Hshared01_50x50.jpg" >/dev/null
ctl track main 1005000000000004 --title "Another product" \
    --image "$CDN/Hdifferent.jpg" >/dev/null
ctl track main 1005000000000005 --title "Yet another product" >/dev/null
run ctl --json events
check "tracking with images raises no risk while no case is open" sh -c '! printf "%s" "$1" | grep -q "_risk\""' _ "$OUT"

run ctl track main 1005000000000009 --image "ae01.alicdn.com/kf/x.jpg"
check "an image that is not a URL is refused (exit 1)" sh -c '[ "$1" = 1 ] && case "$2" in *"images[0]"*"is not an image URL"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
run ctl --json listings
check "... and nothing was tracked" lacks "$OUT" 1005000000000009

C1=$(ctl case open main 1005000000000001 --reason ip_infringement)
check "a case for ip_infringement warns a listing showing the same picture" is_n listing.linked_risk main/1005000000000002 1
ev=$(of_type listing.linked_risk main/1005000000000002)
check "... as a warning" contains "$ev" '"severity": "warning"'
check "... naming the case" contains "$ev" "\"case\": $C1"
check "... and the shared picture" contains "$ev" '"/kf/hshared01.jpg"'
check "... in a sentence saying what to do" contains "$ev" "whose case $C1 is open for ip_infringement"
check "a CDN size variant counts as the same picture (another shop too)" equals "$(n_of listing.linked_risk second/1005000000000003)" 1
check "a listing with a different picture is not warned" equals "$(n_of listing.linked_risk main/1005000000000004)" 0
check "the case's own listing is not warned" equals "$(n_of listing.linked_risk 'main/1005000000000001 shares')" 0

ctl track main 1005000000000002 --image "$CDN/Hshared01.jpg" >/dev/null
check "seen again, the same listing is not warned twice about the same case" equals "$(n_of listing.linked_risk main/1005000000000002)" 1
ctl track main 1005000000000005 --image "$CDN/Hshared01.jpg_.webp" >/dev/null
check "a known listing that starts showing the picture is warned" equals "$(n_of listing.linked_risk main/1005000000000005)" 1

ctl track main 1005000000000020 --title "Sneaker laces" --image "$CDN/Hlaces.jpg" >/dev/null
ctl track main 1005000000000001 --image "$CDN/Hshared01.jpg" --image "$CDN/Hlaces.jpg_350x350.jpg" >/dev/null
check "the case's listing seen with a new picture warns the listings showing it" is_n listing.linked_risk main/1005000000000020 1
check "... and not the others again" is_n listing.linked_risk main/1005000000000002 1

ctl track main 1005000000000006 --title "Plain mug" --image "$CDN/Hmug.jpg" >/dev/null
ctl track main 1005000000000007 --title "Plain cup" --image "$CDN/Hmug.jpg" >/dev/null
ctl case open main 1005000000000006 --reason prohibited_words >/dev/null
check "a case for another reason warns nobody" equals "$(n_of listing.linked_risk main/1005000000000007)" 0
ctl track main 1005000000000008 --title "Mug, plain" --image "$CDN/Hcup.jpg" >/dev/null
C4=$(ctl case open main 1005000000000008 --reason unauthorized_media)
ctl track main 1005000000000010 --title "Cup" --image "$CDN/Hcup.jpg_220x220.jpg" >/dev/null
check "unauthorized_media: a new listing seen with the picture raises evasion" is_n listing.evasion_risk main/1005000000000010 1
check "... and not linked risk besides" is_n listing.linked_risk main/1005000000000010 0
check "... naming the case" contains "$(of_type listing.evasion_risk main/1005000000000010)" "\"open_case\": $C4"
# The listing's risks (GET /v1/listings: the console's risk filter).
risks() { ctl --json listings | jq -c ".listings[] | select(.product_id == \"$1\") | .risks"; }
check "a listing's risks: linked" equals "$(risks 1005000000000002)" '["linked"]'
check "... evasion" equals "$(risks 1005000000000010)" '["evasion"]'
check "... none for a listing not at risk" equals "$(risks 1005000000000004)" '[]'

# Evasion by image: a new listing showing a picture of a listing whose case is open.
ctl track main 1005000000000011 --title "Brand new listing" --image "$CDN/Hshared01.jpg_Q90.jpg_.webp" >/dev/null
ev=$(of_type listing.evasion_risk main/1005000000000011)
check "a new listing with the picture of one whose case is open raises evasion risk" contains "$ev" "\"open_case\": $C1"
check "... as a warning" contains "$ev" '"severity": "warning"'
check "... saying the image matched" sh -c 'printf "%s" "$1" | tr -d " \n" | grep -q "\"matched\":\[\"image\"\]"' _ "$ev"
check "... in a sentence" contains "$ev" "has the image of main/1005000000000001, whose case $C1 is open"
check "... once" equals "$(n_of listing.evasion_risk main/1005000000000011)" 1
ctl track main 1005000000000012 --title "Brand new listing" --image "$CDN/Hunrelated.jpg" >/dev/null
check "a new listing with an unrelated picture raises none" equals "$(n_risks main/1005000000000012)" 0

# Both: the title and a picture of the same open case make one warning.
ctl track main 1005000000000013 --title "red CANVAS sneaker!" --image "$CDN/Hshared01.jpg" >/dev/null
ev=$(of_type listing.evasion_risk main/1005000000000013)
check "title and picture together: one warning saying both" sh -c '[ "$(printf "%s\n" "$1" | grep -c .)" = 1 ] && printf "%s" "$1" | tr -d " \n" | grep -q "\"matched\":\[\"title\",\"image\"\]"' _ "$ev"

# Evasion found later: a relisting first tracked without its pictures.
setclock $((T0 + 60))
ctl track main 1005000000000015 --title "Plain canvas shoe" >/dev/null
check "a new listing without pictures or a matching title raises nothing yet" equals "$(n_risks main/1005000000000015)" 0
ctl track main 1005000000000015 --image "$CDN/Hshared01.jpg" >/dev/null
ev=$(of_type listing.evasion_risk main/1005000000000015)
check "its pictures arriving later raise evasion risk" contains "$ev" "\"open_case\": $C1"
check "... and not linked risk" is_n listing.linked_risk main/1005000000000015 0
ctl track main 1005000000000015 --image "$CDN/Hshared01.jpg" >/dev/null
check "... once" is_n listing.evasion_risk main/1005000000000015 1
ctl track main 1005000000000016 --title "Something else" >/dev/null
ctl track main 1005000000000016 --title "Red canvas sneaker" >/dev/null
check "a title changed later to the case listing's raises evasion risk" contains "$(of_type listing.evasion_risk main/1005000000000016)" "\"open_case\": $C1"
check "a listing older than the case is not its relisting" is_n listing.evasion_risk main/1005000000000005 0

# The host counts, but the AliExpress CDN's hosts are one.
ctl track main 1005000000000017 --title "Shoe, elsewhere" --image "https://cdn.example.com/kf/Hshared01.jpg" >/dev/null
check "the same path on another host is another picture" equals "$(n_risks main/1005000000000017)" 0
ctl track main 1005000000000018 --title "Shoe, other CDN host" --image "https://ae-pic-a1.aliexpress-media.com/kf/Hshared01.jpg" >/dev/null
check "another host of the AliExpress CDN shows the same picture" is_n listing.evasion_risk main/1005000000000018 1
ctl track main 1005000000000019 --title "Shoe, query" --image "https://cdn.example.com?u=/kf/Hshared01.jpg" >/dev/null 2>&1 || true
check "a path in the query is not the picture" equals "$(n_risks main/1005000000000019)" 0

api POST /v1/listings -H 'Content-Type: application/json' -d '{"shop":"main","product_id":"1005000000000014","images":"x"}'
check "images that are not an array are refused (400)" sh -c '[ "$1" = 400 ] && case "$2" in *"images must be an array"*) ;; *) exit 1;; esac' _ "$HTTP" "$BODY"
api POST /v1/listings -H 'Content-Type: application/json' -d '{"shop":"main","product_id":"1005000000000014","images":[1]}'
check "an image that is not a string is refused (400)" sh -c '[ "$1" = 400 ] && case "$2" in *"images[0] must be a string"*) ;; *) exit 1;; esac' _ "$HTTP" "$BODY"

stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish
