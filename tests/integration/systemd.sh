#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/integration/systemd.sh: check the systemd integration files in etc/.
#
# Generates delistd.service from etc/delistd.service.in (placeholders replaced
# by the freshly built binaries' directory), then checks it with
# systemd-analyze (verify must be silent, security exposure at most 2.0),
# checks the settings the daemon relies on, and applies the sysusers.d and
# tmpfiles.d snippets to a temporary root. Nothing on the host is modified.
#
# Environment: top_srcdir (default: this script's ../..), top_builddir
# (default: the current directory). Output: TAP. Must run as root for the
# tmpfiles.d check (it chowns in the temporary root); otherwise that check
# is skipped.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd) || exit 99
top_builddir=$(cd "${top_builddir:-.}" && pwd) || exit 99

template=$top_srcdir/etc/delistd.service.in
sysusers=$top_srcdir/etc/delistd.sysusers.conf
tmpfiles=$top_srcdir/etc/delistd.tmpfiles.conf
daemon=$top_builddir/daemon/delistd
ctl=$top_builddir/daemon/delistctl

tmp=$(mktemp -d "${TMPDIR:-/tmp}/delistd-systemd.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM
unit=$tmp/delistd.service

n=0
failures=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; failures=$((failures + 1)); }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# Runs a check function; its diagnostics go to $tmp/why, printed on failure.
check() {
	desc=$1; shift
	: > "$tmp/why"
	if "$@" > "$tmp/why" 2>&1; then
		last=ok
		pass "$desc"
	else
		last=failed
		fail "$desc"
		diag "$(cat "$tmp/why")"
	fi
}
have() { command -v "$1" > /dev/null 2>&1; }

# All values of KEY= in the generated unit, one per line, in file order.
values() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$unit"
}
# The effective value of a single-valued KEY= (the last assignment wins).
value() {
	values "$1" | tail -n 1
}
# expect KEY VALUE: the effective value of KEY must be VALUE.
expect() {
	got=$(value "$1")
	[ "$got" = "$2" ] && return 0
	echo "$1=$got, expected $1=$2"
	return 1
}

echo "1..9"

# 1. Generate the unit, as the Makefile does, with the build tree's binaries.
gen_unit() {
	[ -r "$template" ] || { echo "missing $template"; return 1; }
	sed -e "s|@sbindir@|$top_builddir/daemon|g" \
	    -e "s|@bindir@|$top_builddir/daemon|g" \
	    -e "s|@sysconfdir@|/etc|g" \
	    -e "s|@localstatedir@|/var|g" \
	    -e "s|@libdir@|/usr/lib|g" \
	    "$template" > "$unit" || return 1
	left=$(grep -n '@[A-Za-z_]*@' "$unit")
	[ -z "$left" ] && return 0
	echo "placeholders left unsubstituted:"
	echo "$left"
	return 1
}
check "delistd.service generated from etc/delistd.service.in" gen_unit

# 2. systemd-analyze verify: silent and successful. It requires ExecStart=
# and ExecReload= binaries to exist, hence the build tree's paths. Man pages
# are not installed while testing, so --man=no (Documentation= is checked in
# test 6 instead); generators are not run, so no host state comes into play.
verify_unit() {
	out=$(systemd-analyze verify --man=no --generators=no "$unit" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ -z "$out" ] && return 0
	echo "systemd-analyze verify exited $rc and printed:"
	echo "$out"
	return 1
}
if ! have systemd-analyze; then
	fail "systemd-analyze verify is clean"
	diag "systemd-analyze not found (package systemd)"
elif [ ! -x "$daemon" ] || [ ! -x "$ctl" ]; then
	skip "systemd-analyze verify: $daemon or $ctl not built yet"
else
	check "systemd-analyze verify is clean" verify_unit
fi

# 3. Hardening: overall exposure at most 2.0 (threshold 20 in tenths).
security_unit() {
	out=$(systemd-analyze security --no-pager --offline=true \
		--threshold=20 "$unit" 2>&1)
	rc=$?
	exposure=$(printf '%s\n' "$out" |
		sed -n 's/.*Overall exposure level for [^:]*: *\([0-9][0-9.]*\).*/\1/p')
	echo "overall exposure $exposure (must be <= 2.0)"
	if [ $rc -eq 0 ] && [ -n "$exposure" ] &&
	   awk -v e="$exposure" 'BEGIN { exit !(e + 0 <= 2.0) }'; then
		return 0
	fi
	echo "systemd-analyze security exited $rc; exposed settings:"
	printf '%s\n' "$out" | grep -v '^✓' | grep -v '^ *NAME'
	return 1
}
if have systemd-analyze; then
	check "systemd-analyze security: exposure <= 2.0" security_unit
	# On success too: the figure is worth seeing in the log.
	[ "$last" = ok ] && diag "$(sed -n 1p "$tmp/why")"
else
	fail "systemd-analyze security: exposure <= 2.0"
	diag "systemd-analyze not found (package systemd)"
fi

# 4. Service type and supervision, as the daemon implements them.
supervision() {
	bad=0
	expect Type notify || bad=1
	expect NotifyAccess main || bad=1
	expect Restart on-failure || bad=1
	w=$(value WatchdogSec)
	case $w in
	'' | 0 | 0s | infinity) echo "WatchdogSec=$w: no watchdog"; bad=1 ;;
	esac
	return $bad
}
check "Type=notify, NotifyAccess=main, WatchdogSec, Restart=on-failure" \
	supervision

# 5. Commands: the daemon in the foreground with its config; reload through
# delistctl (which reports a rejected config), never a bare signal.
commands() {
	bad=0
	start=$(values ExecStart)
	case $start in
	"$top_builddir/daemon/delistd -c /etc/delistd/delistd.conf") ;;
	*) echo "ExecStart=$start"; bad=1 ;;
	esac
	reload=$(values ExecReload)
	case $reload in
	"$top_builddir/daemon/delistctl -s /run/delistd/delistd.sock reload") ;;
	*) echo "ExecReload=$reload, expected delistctl -s <socket> reload"
	   bad=1 ;;
	esac
	if grep -n -E '^[^#;]*([/=[:space:]]kill[[:space:]]|MAINPID)' "$unit"
	then
		echo "the unit signals the daemon instead of using delistctl"
		bad=1
	fi
	return $bad
}
check "ExecStart runs delistd -c, ExecReload is delistctl ... reload" commands

# 6. Identity, directories and documentation.
identity() {
	bad=0
	expect User delistd || bad=1
	expect Group delistd || bad=1
	case $(value DynamicUser) in
	yes | true | on | 1) echo "DynamicUser= set: the socket group would not be stable"
	   bad=1 ;;
	esac
	expect StateDirectory delistd || bad=1
	expect StateDirectoryMode 0700 || bad=1
	expect RuntimeDirectory delistd || bad=1
	expect RuntimeDirectoryMode 0750 || bad=1
	expect ConfigurationDirectory delistd || bad=1
	expect UMask 0077 || bad=1
	expect ProtectSystem strict || bad=1
	expect WantedBy multi-user.target || bad=1
	docs=$(values Documentation | tr '\n' ' ')
	for page in 'delistd(8)' 'delistd.conf(5)' 'delistctl(1)'; do
		case " $docs " in
		*" man:$page "*) ;;
		*) echo "Documentation= lacks man:$page"; bad=1 ;;
		esac
	done
	return $bad
}
check "user delistd, state/runtime/config directories, documentation" identity

# 7. The sandbox leaves what the daemon needs: Unix and IP sockets,
# outbound connections to any unicast address, execve for the exec sink.
# reachable(ADDRESS...) applies IPAddressAllow=/IPAddressDeny= (allow wins;
# an empty assignment resets the list) and prints each blocked address.
reachable() {
	{ echo "allow="; values IPAddressAllow | sed 's/^/allow=/'
	  echo "deny="; values IPAddressDeny | sed 's/^/deny=/'; } |
	awk -v addrs="$*" '
	function v4(s, p, i, n, x) {
		n = split(s, p, "."); if (n != 4) return -1
		x = 0; for (i = 1; i <= 4; i++) x = x * 256 + p[i]
		return x
	}
	# 8 hextets of an IPv6 address into h[1..8]
	function v6(s, h, a, b, na, nb, i) {
		for (i = 1; i <= 8; i++) h[i] = 0
		if (index(s, "::")) {
			na = split(substr(s, 1, index(s, "::") - 1), a, ":")
			nb = split(substr(s, index(s, "::") + 2), b, ":")
		} else { na = split(s, a, ":"); nb = 0 }
		for (i = 1; i <= na; i++) h[i] = hex(a[i])
		for (i = 1; i <= nb; i++) h[8 - nb + i] = hex(b[i])
	}
	function hex(s, i, x) {
		s = tolower(s); x = 0
		for (i = 1; i <= length(s); i++)
			x = x * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return x
	}
	function inprefix(addr, net, len, a, b, i, k, r) {
		if ((index(addr, ":") > 0) != (index(net, ":") > 0)) return 0
		if (index(addr, ":") == 0) {
			r = 2 ^ (32 - len)
			return int(v4(addr) / r) == int(v4(net) / r)
		}
		v6(addr, a); v6(net, b)
		k = int(len / 16)
		for (i = 1; i <= k; i++) if (a[i] != b[i]) return 0
		if (k == 8) return 1
		r = 2 ^ (16 - len % 16)
		return int(a[k + 1] / r) == int(b[k + 1] / r)
	}
	function matches(addr, list, n, e, i, p, len) {
		n = split(list, e, " ")
		for (i = 1; i <= n; i++) {
			p = e[i]
			if (p == "any") p = (index(addr, ":") ? "::/0" : "0.0.0.0/0")
			else if (p == "localhost") p = (index(addr, ":") ? "::1/128" : "127.0.0.0/8")
			else if (p == "link-local") p = (index(addr, ":") ? "fe80::/64" : "169.254.0.0/16")
			else if (p == "multicast") p = (index(addr, ":") ? "ff00::/8" : "224.0.0.0/4")
			if (index(p, "/")) { len = substr(p, index(p, "/") + 1); p = substr(p, 1, index(p, "/") - 1) }
			else len = (index(p, ":") ? 128 : 32)
			if (inprefix(addr, p, len)) return 1
		}
		return 0
	}
	/^allow=/ { v = substr($0, 7); allow = (v == "" ? "" : allow " " v) }
	/^deny=/  { v = substr($0, 6); deny = (v == "" ? "" : deny " " v) }
	END {
		bad = 0; n = split(addrs, a, " ")
		for (i = 1; i <= n; i++)
			if (matches(a[i], deny) && !matches(a[i], allow)) {
				print "IPAddressDeny= blocks " a[i]; bad = 1
			}
		exit bad
	}'
}
sandbox() {
	bad=0
	fam=" $(values RestrictAddressFamilies | tr '\n' ' ') "
	case $fam in *'~'*) echo "RestrictAddressFamilies= is a deny list:$fam"; bad=1 ;; esac
	for f in AF_UNIX AF_INET AF_INET6; do
		case $fam in
		*" $f "*) ;;
		*) echo "RestrictAddressFamilies= lacks $f"; bad=1 ;;
		esac
	done
	case $(value PrivateNetwork) in
	yes | true | on | 1) echo "PrivateNetwork= would cut outbound HTTPS/SMTP"; bad=1 ;;
	esac
	# localhost and LAN relays, public hosts, and the GCE resolver.
	reachable 127.0.0.1 10.1.2.3 172.16.0.1 192.168.1.1 93.184.216.34 \
		8.8.8.8 169.254.169.254 ::1 fd00::25 2606:4700::1111 \
		2a00:1450:4001:80b::200e || bad=1
	if values SystemCallFilter | grep -E '^~.*(@process|@system-service|execve)'; then
		echo "SystemCallFilter= denies execve, which the exec sink needs"
		bad=1
	fi
	if ! values SystemCallFilter | grep -E '^@system-service' > /dev/null; then
		echo "SystemCallFilter= has no @system-service allow list"
		bad=1
	fi
	return $bad
}
check "sandbox allows Unix/IP sockets, outbound to any unicast host, execve" \
	sandbox

# 8. sysusers.d: creates user and group delistd in an empty root.
root=$tmp/root
sysusers_apply() {
	[ -r "$sysusers" ] || { echo "missing $sysusers"; return 1; }
	mkdir -p "$root/etc" || return 1
	systemd-sysusers --root="$root" "$sysusers" || return 1
	bad=0
	pw=$(grep '^delistd:' "$root/etc/passwd")
	gr=$(grep '^delistd:' "$root/etc/group")
	[ -n "$pw" ] || { echo "no user delistd in $root/etc/passwd"; bad=1; }
	[ -n "$gr" ] || { echo "no group delistd in $root/etc/group"; bad=1; }
	[ $bad -eq 0 ] || return 1
	uid=$(echo "$pw" | cut -d: -f3); pgid=$(echo "$pw" | cut -d: -f4)
	gid=$(echo "$gr" | cut -d: -f3); shell=$(echo "$pw" | cut -d: -f7)
	[ "$pgid" = "$gid" ] || { echo "delistd's primary group is $pgid, not delistd ($gid)"; bad=1; }
	[ "$uid" -gt 0 ] && [ "$uid" -lt 1000 ] || { echo "uid $uid is not a system uid"; bad=1; }
	case $shell in
	*/nologin | */false) ;;
	*) echo "delistd has login shell '$shell'"; bad=1 ;;
	esac
	return $bad
}
if have systemd-sysusers; then
	check "sysusers.d snippet creates system user and group delistd" \
		sysusers_apply
else
	fail "sysusers.d snippet creates system user and group delistd"
	diag "systemd-sysusers not found (package systemd)"
fi

# 9. tmpfiles.d: creates /var/lib/delistd 0700 delistd:delistd in the same
# root (user and group resolved from the root's /etc/passwd), and leaves
# /run/delistd to RuntimeDirectory=.
tmpfiles_apply() {
	[ -r "$tmpfiles" ] || { echo "missing $tmpfiles"; return 1; }
	[ -n "$(grep '^delistd:' "$root/etc/passwd" 2>/dev/null)" ] ||
		{ echo "needs the user from test 8"; return 1; }
	systemd-tmpfiles --root="$root" --create "$tmpfiles" || return 1
	bad=0
	dir=$root/var/lib/delistd
	[ -d "$dir" ] || { echo "$dir not created"; return 1; }
	# shellcheck disable=SC2046 # ls -l's fields, split on purpose
	set -- $(ls -lnd "$dir")
	uid=$(grep '^delistd:' "$root/etc/passwd" | cut -d: -f3)
	gid=$(grep '^delistd:' "$root/etc/group" | cut -d: -f3)
	[ "$1" = drwx------ ] || { echo "mode $1, expected drwx------"; bad=1; }
	[ "$3:$4" = "$uid:$gid" ] || { echo "owner $3:$4, expected delistd:delistd ($uid:$gid)"; bad=1; }
	if [ -e "$root/run/delistd" ]; then
		echo "/run/delistd created; RuntimeDirectory= owns it"
		bad=1
	fi
	return $bad
}
if ! have systemd-tmpfiles; then
	fail "tmpfiles.d snippet creates /var/lib/delistd 0700 delistd:delistd"
	diag "systemd-tmpfiles not found (package systemd)"
elif [ "$(id -u)" -ne 0 ]; then
	skip "tmpfiles.d check needs root (chown in the temporary root)"
else
	check "tmpfiles.d snippet creates /var/lib/delistd 0700 delistd:delistd" \
		tmpfiles_apply
fi

[ $failures -eq 0 ]
