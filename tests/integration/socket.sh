#!/bin/sh
# SPDX-License-Identifier: ISC
# socket.sh: the control socket is made 0660 and of socket_group without
# ever following a symlink at its path: neither one there before the
# start nor one swapped in right after bind (tests/fakes/bindswap.so plays
# the attacker) can make delistd chmod or chown another file.
. "$(dirname "$0")/lib.sh"
SHIM=$top_builddir/tests/fakes/.libs/bindswap.so

conf=$T/delistd.conf
group=$(id -gn)
write_config "$conf"
sed -i "s|log_level = \"debug\";|log_level = \"debug\"; socket_group = \"$group\";|" "$conf"
check "delistd starts" start_daemon "$conf"
check "the socket is mode 0660" equals "$(stat -c %a "$SOCK")" 660
check "... of group socket_group" equals "$(stat -c %G "$SOCK")" "$group"
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0

echo secret > "$T/target"
chmod 600 "$T/target"
ln -s "$T/target" "$SOCK"
run timeout 10 "$DELISTD" -f -c "$conf"
check "a symlink at the socket's path is refused at start" expect_rc 1
check "... saying it is not a socket" contains "$ERR" "is not a socket"
check "... and the file it points to keeps its mode" equals "$(stat -c %a "$T/target")" 600
rm -f "$SOCK"

ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
run env LD_PRELOAD="$SHIM" BINDSWAP_TARGET="$T/target" \
    timeout 10 "$DELISTD" -f -c "$conf"
check "a socket swapped for a symlink right after bind: start refused" expect_rc 1
check "... saying why" contains "$ERR" "was replaced"
check "... the file the link points to keeps its mode" equals "$(stat -c %a "$T/target")" 600
check "... and its content" equals "$(cat "$T/target")" secret
check "... and the link is left alone" test -L "$SOCK"
finish
