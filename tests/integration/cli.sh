#!/bin/sh
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
check "delistctl without a daemon exits 1" expect_rc 1
check "... and says the daemon is not running and how to start it" sh -c 'case "$1" in "delistctl: cannot reach delistd at '"$T"'/none.sock"*"is it running? Start it with"*) ;; *) exit 1;; esac' _ "$ERR"
check "... in one line" equals "$(printf '%s\n' "$ERR" | wc -l)" 1

DELISTD_SOCKET=$T/env.sock run "$DELISTCTL" status
check "delistctl takes the socket from DELISTD_SOCKET" contains "$ERR" "$T/env.sock"
finish
