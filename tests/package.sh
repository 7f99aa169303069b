#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/package.sh: the Debian package, as an admin gets it.
#
#   sh tests/package.sh [WORKDIR]     (default: build/package)
#
# Builds the .deb from a copy of the source tree with dpkg-buildpackage -us
# -uc -b (DEB_BUILD_OPTIONS=nocheck: the README's test command has run the
# suite already), runs lintian on it (no error allowed; the kept tags are
# in debian/README.source), then installs it with dpkg -i and starts delistd
# as its unit does: with systemctl when systemd is PID 1, otherwise as the
# unit's User= with its ExecStart=, its RuntimeDirectory= and a stand-in for
# the NOTIFY_SOCKET of Type=notify, which must get READY=1; delistctl status
# must answer on the unit's socket. The install needs root: as another user
# outside CI it is skipped, saying so. Output: TAP.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/build/package}
case $work in /*) ;; *) work=$top/$work ;; esac
n=0 failed=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
finish() { echo "1..$n"; [ "$failed" = 0 ]; exit $?; }
# wait_for SECONDS CMD...: polls CMD every 100 ms until it succeeds.
wait_for() {
	_limit=$(($1 * 10)); shift
	_i=0
	until "$@" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ "$_i" -ge "$_limit" ] && return 1
		sleep 0.1
	done
}

for c in dpkg-buildpackage dh lintian; do
	command -v $c >/dev/null 2>&1 ||
	    { echo "1..0 # SKIP $c is missing (sh tests/bootstrap.sh deps)"; exit 0; }
done

rm -rf "$work"
mkdir -p "$work/src"
# A copy: dpkg-buildpackage writes into the tree and next to it.
(cd "$top" && tar --exclude=./build --exclude=./.git --exclude=./state \
    -cf - .) | tar -xf - -C "$work/src"
if (cd "$work/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) \
    > "$work/build.log" 2>&1; then
	pass "dpkg-buildpackage -us -uc -b builds the package"
else
	fail "dpkg-buildpackage -us -uc -b builds the package"
	diag "$(tail -n 30 "$work/build.log")"
	finish
fi
deb=$(ls "$work"/delistd_*.deb)

files=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
has() { printf '%s\n' "$files" | grep -qx "$1" || { echo "no $1 in the package"; return 1; }; }
check() { _d=$1; shift; if _o=$("$@" 2>&1); then pass "$_d"; else fail "$_d"; diag "$_o"; fi; }
check "the unit is where systemd looks" \
    has ".$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null ||
    echo /lib/systemd/system)/delistd.service"
check "the sysusers.d and tmpfiles.d snippets are in" sh -c \
    'printf "%s\n" "$1" | grep -qx ./usr/lib/sysusers.d/delistd.conf &&
     printf "%s\n" "$1" | grep -qx ./usr/lib/tmpfiles.d/delistd.conf' _ "$files"
check "the example configuration is a conffile" sh -c \
    'dpkg-deb -I "$1" conffiles | grep -qx /etc/delistd/delistd.conf' _ "$deb"
check "no libtool archive among the plugins" \
    sh -c '! printf "%s\n" "$1" | grep -q "\.la$"' _ "$files"
check "the plugins are in" has "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/delistd/plugins/webhook.so"
check "the bash completion is in" has ./usr/share/bash-completion/completions/delistctl

if lintian --fail-on error "$work"/delistd_*.changes > "$work/lintian.log" 2>&1; then
	pass "lintian finds no error"
else
	fail "lintian finds no error"
	diag "$(cat "$work/lintian.log")"
fi
diag "lintian: $(grep -c '^[EW]:' "$work/lintian.log") errors and warnings"

if [ "$(id -u)" != 0 ] && [ -z "${CI:-}" ]; then
	skip "installing the package needs root (CI runs it as root)"
	finish
fi
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
was_installed=$(dpkg-query -W -f '${Status}' delistd 2>/dev/null | grep -c 'ok installed')
had_state=0
[ -e /var/lib/delistd ] && had_state=1
if $sudo dpkg -i "$deb" > "$work/dpkg.log" 2>&1; then
	pass "dpkg -i installs it"
else
	fail "dpkg -i installs it"
	diag "$(cat "$work/dpkg.log")"
	finish
fi
check "the delistd user exists (sysusers)" id delistd
check "the state directory is the daemon's, mode 0700 (tmpfiles)" sh -c \
    '[ "$(stat -c %U:%a /var/lib/delistd)" = delistd:700 ]'
check "the installed configuration checks (delistd -t as delistd)" \
    $sudo setpriv --reuid=delistd --regid=delistd --init-groups \
    /usr/sbin/delistd -t

unit=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null ||
    echo /lib/systemd/system)/delistd.service
sock=/run/delistd/delistd.sock
status_ok() { $sudo delistctl -s "$sock" status; }
if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ]; then
	check "systemctl start delistd" $sudo systemctl start delistd
	check "delistctl status answers on the unit's socket" wait_for 20 status_ok
	$sudo systemctl stop delistd
else
	# As the unit: its User=, ExecStart=, RuntimeDirectory= and UMask=,
	# and a NOTIFY_SOCKET that must hear READY=1 (Type=notify).
	user=$(sed -n 's/^User=//p' "$unit")
	exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
	$sudo install -d -m 0750 -o "$user" -g "$user" /run/delistd
	notify=/run/delistd-test-notify.sock
	$sudo rm -f "$notify" "$work/notify.out"
	$sudo python3 -c '
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
s.settimeout(60)
with open(sys.argv[2], "w") as out:
    while True:
        m = s.recv(4096).decode()
        out.write(m + "\n--\n"); out.flush()
        if "READY=1" in m:
            break
' "$notify" "$work/notify.out" &
	fake=$!
	wait_for 10 test -S "$notify"
	# shellcheck disable=SC2086 # ExecStart= is a command line
	$sudo env NOTIFY_SOCKET="$notify" setpriv --reuid="$user" \
	    --regid="$user" --init-groups sh -c 'umask 077; exec "$@"' sh \
	    $exec_start > "$work/daemon.log" 2>&1 &
	daemon=$!
	check "delistd says READY=1 on NOTIFY_SOCKET (Type=notify)" \
	    wait_for 30 grep -q READY=1 "$work/notify.out"
	check "delistctl status answers on the unit's socket" wait_for 20 status_ok
	$sudo kill "$daemon" 2>/dev/null
	wait "$daemon"
	$sudo kill "$fake" 2>/dev/null
	wait "$fake" 2>/dev/null
	$sudo rm -f "$notify"
fi
# A throwaway CI machine keeps it; a machine that did not have it is
# left as it was.
if [ "$was_installed" = 0 ] && [ -z "${CI:-}" ]; then
	$sudo dpkg --purge delistd > "$work/purge.log" 2>&1 ||
	    diag "dpkg --purge delistd failed: $(cat "$work/purge.log")"
	$sudo rm -rf /run/delistd
	[ "$had_state" = 1 ] || $sudo rm -rf /var/lib/delistd
fi
finish
