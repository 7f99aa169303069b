#!/bin/sh
# SPDX-License-Identifier: ISC
# backup.sh: delistctl backup while the daemon works, delistd --restore.
#
# A daemon with an aliexpress source (tests/fakes/fake_aliexpress) keeps
# evidence of three listings; cases, notes and documents are made, then a
# burst of new cases and documents runs while delistctl backup copies
# everything. The backup's MANIFEST checks with sha256sum -c; restored
# into a new state directory, a daemon on it answers every case, event
# and document of the backup exactly as the first daemon did, and has the
# same evidence files. Refused: a backup into a non-empty directory, a
# restore over the live state directory, a restore of a damaged backup.
. "$(dirname "$0")/lib.sh"

for c in curl jq sqlite3 sha256sum; do
	command -v $c >/dev/null 2>&1 || { echo "1..0 # SKIP $c is missing"; exit 0; }
done
PLUGIN_DIR=$top_builddir/plugins/.libs
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
setclock 1795564800

APPKEY=34567890
TOKEN=bk-Token-3c1d09
printf 'bk-Secret-8e2a55\n' > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"
check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret"
P1=1005009000000001 P2=1005009000000002 P3=1005009000000003
for p in $P1 $P2 $P3; do
	fake_product "{\"product_id\":\"$p\",\"status\":\"onSelling\",\"subject\":\"Item $p\"}"
done

# conf FILE STATE_DIR
conf() {
	cat > "$1" <<CONF
daemon: { state_dir = "$2"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "6h"; },
	{ name = "eu"; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE";
	app_key = "$APPKEY"; app_secret_file = "$T/ae.secret";
	token_file = "$T/ae.token"; rate = 50.0; burst = 10; } );
CONF
}
conf "$T/delistd.conf" "$STATE"
check "delistd starts" start_daemon "$T/delistd.conf"

pdf() { printf '%%PDF-1.4\n%% %s\ntrailer << >>\n%%%%EOF\n' "$2" > "$1"; }
nfiles() { find "$1" -type f 2>/dev/null | wc -l; }
ncases() { ctl --json cases | jq '.cases | length'; }

for p in $P1 $P2 $P3; do
	ctl track main $p >/dev/null || fail "track main $p"
done
evidence_ge() { [ "$(nfiles "$STATE/evidence")" -ge "$1" ]; }
check "the source keeps evidence of the three listings" wait_for 20 evidence_ge 3
C1=$(ctl case open eu 1005009100000001 --reason ip_infringement)
ctl case open eu 1005009100000002 --reason other >/dev/null || fail "case open"
ctl case note "$C1" "photos replaced" >/dev/null || fail "case note"
pdf "$T/cert.pdf" cert
pdf "$T/invoice.pdf" invoice
ctl doc add "$T/cert.pdf" --type ce --shop eu >/dev/null 2>&1 || fail "doc add"
ctl doc add "$T/invoice.pdf" --type invoice --shop eu >/dev/null 2>&1 || fail "doc add"
before=$(ncases)

mkdir "$T/full" && touch "$T/full/x"
run ctl backup "$T/full"
check "backup into a non-empty directory is refused" expect_rc 1
check "... saying so" contains "$ERR" "is not empty"

# The burst: new cases and documents until told to stop.
burst() {
	i=0
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		ctl case open eu $((1005009200000000 + i)) --reason other >/dev/null
		pdf "$T/b$i.pdf" "burst $i"
		ctl doc add "$T/b$i.pdf" --type ce --shop eu >/dev/null 2>&1
	done
}
burst &
burst_pid=$!
more_than() { [ "$(ncases)" -gt "$1" ]; }
check "the burst is under way" wait_for 20 more_than $((before + 2))
run ctl backup "$T/bk"
check "delistctl backup succeeds during the burst" expect_rc 0
check "... and says where" contains "$OUT" "files"
at_backup=$(ncases)
check "the burst goes on after the backup" wait_for 20 more_than $((at_backup + 2))
touch "$T/stop"
wait $burst_pid

check "the MANIFEST checks with sha256sum -c" \
    sh -c 'cd "$1" && sha256sum --quiet -c MANIFEST' _ "$T/bk"
bkdb() { sqlite3 "$T/bk/delistd.db" "$1"; }
NB=$(bkdb "SELECT COUNT(*) FROM cases")
check "the backup has the cases from before the burst and some of it" \
    test "$NB" -gt $((before + 2))
check "... but not those opened after it" test "$NB" -lt "$(ncases)"
check "the backup has the three evidence files" \
    test "$(nfiles "$T/bk/evidence")" -ge 3
check "the snapshot left nothing behind in the state dir" test ! -e "$STATE/backup"

# What the first daemon answers for everything the backup holds.
MAXEV=$(bkdb "SELECT MAX(id) FROM events")
MAXDOC=$(bkdb "SELECT MAX(id) FROM documents")
answers() {
	api GET /v1/events
	printf '%s\n' "$BODY" | jq -S "[.events[] | select(.id <= $MAXEV)]"
	for c in $(bkdb "SELECT id FROM cases ORDER BY id"); do
		api GET "/v1/cases/$c"
		printf '%s\n' "$BODY" | jq -S .
	done
	api GET /v1/documents
	printf '%s\n' "$BODY" | jq -S "[.documents[] | select(.id <= $MAXDOC)]"
	for d in $(bkdb "SELECT id FROM documents ORDER BY id"); do
		curl -sS --unix-socket "$SOCK" "http://localhost/v1/documents/$d/content" |
		    sha256sum
	done
}
answers > "$T/first.answers"
check "the answers are not empty" test "$(grep -c '"id"' "$T/first.answers")" -gt 20

run "$DELISTD" -c "$T/delistd.conf" --restore "$T/bk"
check "restore over the live state dir is refused" expect_rc 1
check "... saying it is not empty" contains "$ERR" "is not empty"
check "... and the daemon still answers" sock_up

cp -R "$T/bk" "$T/bad"
printf 'x' >> "$(find "$T/bad/documents" -type f | head -n 1)"
conf "$T/bad.conf" "$T/state-bad"
run "$DELISTD" -c "$T/bad.conf" --restore "$T/bad"
check "restore of a damaged backup is refused" expect_rc 1
check "... naming the SHA-256 mismatch" contains "$ERR" "SHA-256"
check "... and restores nothing" test ! -e "$T/state-bad/delistd.db"

stop_daemon
conf "$T/restored.conf" "$T/state2"
run "$DELISTD" -c "$T/restored.conf" --restore "$T/bk"
check "restore into a new state dir succeeds" expect_rc 0
check "... and says how many files" contains "$OUT" "restored"
for f in $(cd "$T/bk" && find evidence documents -type f); do
	cmp -s "$T/bk/$f" "$T/state2/$f" || echo "$f"
done > "$T/differ"
check "every evidence and document file is restored as it was" \
    test ! -s "$T/differ"
STATE=$T/state2
SOCK=$T/state2/delistd.sock
check "a daemon starts on the restored state" start_daemon "$T/restored.conf"
answers > "$T/restored.answers"
check "it answers every case, event and document of the backup as the first did" \
    diff -u "$T/first.answers" "$T/restored.answers"
stop_daemon
finish
