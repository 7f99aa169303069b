#!/bin/sh
# SPDX-License-Identifier: ISC
# cli.sh: delistd's and delistctl's command lines, without a daemon.
. "$(dirname "$0")/lib.sh"

run "$DELISTD" -V
check "delistd -V prints the version" sh -c '[ "$1" = 0 ] && case "$2" in "delistd "[0-9]*) ;; *) exit 1;; esac' _ "$RC" "$OUT"

run "$DELISTD" -h
check "delistd -h shows the usage and exits 0" sh -c '[ "$1" = 0 ] && case "$2" in *"usage: delistd"*"--check-config"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"

run "$DELISTD" --bogus
check "delistd with an unknown option exits 2 with the usage" sh -c '[ "$1" = 2 ] && case "$2" in *"usage: delistd"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"

run "$DELISTD" -f extra-argument
check "delistd refuses stray arguments" expect_rc 2

run "$DELISTCTL" -V
check "delistctl -V prints the version" contains "$OUT" "delistctl "

run "$DELISTCTL" help
check "delistctl help lists the commands" sh -c 'case "$1" in *status*reload*help*) ;; *) exit 1;; esac' _ "$OUT"

run "$DELISTCTL"
check "delistctl without a command exits 2" expect_rc 2

run "$DELISTCTL" -s "$T/none.sock" frobnicate
check "delistctl with an unknown command exits 2 and says so" sh -c '[ "$1" = 2 ] && case "$2" in *"unknown command \"frobnicate\""*) ;; *) exit 1;; esac' _ "$RC" "$ERR"

run "$DELISTCTL" -s "$T/none.sock" status
check "delistctl without a daemon exits 3 (daemon not reachable)" expect_rc 3
check "... saying no daemon answers on the socket, naming it" contains "$ERR" "delistctl: no delistd answers at $T/none.sock: no such socket;"
check "... how to start one, or to pass -s" sh -c 'case "$1" in *"systemctl start delistd"*"delistd -f"*"-s PATH"*) ;; *) exit 1;; esac' _ "$ERR"
check "... not curl's words" lacks "$ERR" "port 80"
check "... in one line" equals "$(printf '%s\n' "$ERR" | wc -l)" 1

: > "$T/plain"
run "$DELISTCTL" -s "$T/plain" status
check "a socket path that is a plain file exits 3" expect_rc 3
check "... saying it is not a socket" equals "$ERR" "delistctl: $T/plain is not a socket: give delistd's socket with -s PATH"

DELISTD_SOCKET=$T/env.sock run "$DELISTCTL" status
check "delistctl takes the socket from DELISTD_SOCKET" contains "$ERR" "$T/env.sock"

# Every verb of `delistctl --help` takes --help (and -h) after it: its
# usage from the verb table on stdout, exit 0, nothing sent (no daemon).
# A verb is the leading lower-case words of a usage line: "case show".
"$DELISTCTL" --help | sed -n 's/^  \([a-z][a-z ]*\)\( .*\)\{0,1\}$/\1/p' |
    awk '{ v = $1; for (i = 2; i <= NF && $i ~ /^[a-z]+$/; i++) v = v " " $i; print v }' |
    sort -u > "$T/verbs"
check "delistctl --help lists verbs, the case and doc verbs among them" sh -c 'grep -qx status "$1" && grep -qx "case check" "$1" && grep -qx "doc add" "$1" && [ "$(wc -l < "$1")" -ge 30 ]' _ "$T/verbs"
bad=
while read -r verb; do
	for opt in --help -h; do
		# shellcheck disable=SC2086 # the verb's words are separate arguments
		run "$DELISTCTL" -s "$T/none.sock" $verb $opt
		first=${verb%% *}
		[ "$RC" = 0 ] && [ -z "$ERR" ] &&
		    case $OUT in "usage: delistctl $first"*) true ;; *) false ;; esac ||
		    bad="$bad
$verb $opt: exit $RC, stdout '$OUT', stderr '$ERR'"
	done
done < "$T/verbs"
check "VERB --help and VERB -h print the verb's usage and exit 0, for every verb" equals "$bad" ""
run "$DELISTCTL" -s "$T/none.sock" case check --help
check "case check --help shows the case check line of the table" sh -c 'case "$1" in "usage: delistctl case check ID [--statement FILE|-]"*"what would get the appeal rejected"*) ;; *) exit 1;; esac' _ "$OUT"
run "$DELISTCTL" -s "$T/none.sock" outbox retry --help
check "a verb of two lines shows both" sh -c 'case "$1" in *"delistctl outbox [--dead]"*"delistctl outbox retry ID|--all-dead"*) ;; *) exit 1;; esac' _ "$OUT"
run "$DELISTCTL" -s "$T/none.sock" case --help
check "case --help lists the case verbs" sh -c '[ "$1" = 0 ] && case "$2" in *"case show ID"*"case ack ID"*) ;; *) exit 1;; esac' _ "$RC" "$OUT"
run "$DELISTCTL" -s "$T/none.sock" cases --bogus
check "an unknown option after a verb is still a usage error (exit 2)" expect_rc 2
run "$DELISTCTL" -s "$T/none.sock" cases -j
check "-j after the verb is taken (not a usage error): exit 3, no daemon" expect_rc 3

finish
