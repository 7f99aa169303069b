#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bootstrap.sh: the README's two commands.
#
#   sh tests/bootstrap.sh run    install the build dependencies, build, and
#                                start delistd in the foreground on the
#                                built-in configuration (state in ./state)
#   sh tests/bootstrap.sh test   install, build with -Werror, run the whole
#                                suite normally and under ASan+UBSan, then
#                                make distcheck and tests/package.sh (the
#                                .deb); prints "N passed, N failed"
#   sh tests/bootstrap.sh deps   only install the dependencies
#
# Needs Debian 12 with its package mirror; everything else it installs.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

# Build and test dependencies, all Debian 12 packages.
PACKAGES="build-essential autoconf automake libtool pkg-config
libevent-dev libconfig-dev libsqlite3-dev libcurl4-openssl-dev libjansson-dev
libssl-dev libcmocka-dev libsystemd-dev libunistring-dev libcrypt-dev
ca-certificates tzdata curl netcat-openbsd systemd prometheus sqlite3 mandoc jq
clang libclang-rt-14-dev
openssl python3 exim4-daemon-light
chromium chromium-driver python3-selenium fonts-wqy-microhei
gettext autopoint locales
libxlsxwriter-dev python3-openpyxl
debhelper dpkg-dev lintian bash-completion shellcheck zsh"

deps() {
	missing=
	for p in $PACKAGES; do
		dpkg-query -W -f '${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "bootstrap: installing$missing" >&2
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# The tests read delistctl in Chinese (LANG=zh_CN.UTF-8): Debian generates
# only C.UTF-8, so the zh_CN.UTF-8 locale is made here (as root, in CI).
locale_zh() {
	locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' && return 0
	echo "bootstrap: generating the zh_CN.UTF-8 locale" >&2
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	# Exit status 1 is a warning: what counts is the locale being there.
	$sudo localedef -i zh_CN -c -f UTF-8 -A /usr/share/locale/locale.alias \
	    zh_CN.UTF-8 ||
	    locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'
}

configure_in() { # DIR ARGS...: an out-of-tree build in DIR
	dir=$1; shift
	[ -x "$top/configure" ] || "$top/autogen.sh" >/dev/null 2>&1
	mkdir -p "$dir"
	(cd "$dir" && "$top/configure" --enable-werror "$@" >/dev/null)
}

# Adds up what automake's TAP driver counted in a test-suite.log.
count() {
	log=$1
	[ -f "$log" ] || { echo "0 0"; return; }
	awk '/^# (PASS|SKIP|XFAIL):/ {p += $3} /^# (FAIL|XPASS|ERROR):/ {f += $3}
	    END {print p + 0, f + 0}' "$log"
}

run_cmd() {
	deps
	configure_in build/run
	make -C build/run -j"$jobs" >/dev/null
	echo "bootstrap: starting delistd -f -C; state and socket under $top/state" >&2
	echo "bootstrap: in another terminal: $top/build/run/daemon/delistctl -s $top/state/delistd.sock status" >&2
	exec build/run/daemon/delistd -f -C
}

test_cmd() {
	deps
	locale_zh
	# The Chinese delistctl test (i18n.sh) must run here, not skip.
	DELISTD_REQUIRE_LOCALE=1
	export DELISTD_REQUIRE_LOCALE
	# The real-MTA test (mail_mta.sh) must run here, not skip.
	DELISTD_REQUIRE_MTA=1
	export DELISTD_REQUIRE_MTA
	# So must the console's pages in a real browser (web-pages.sh).
	DELISTD_REQUIRE_BROWSER=1
	export DELISTD_REQUIRE_BROWSER
	passed=0 failed=0 status=0
	for kind in normal sanitizers; do
		dir=build/$kind
		args=
		[ "$kind" = sanitizers ] && args=--enable-sanitizers
		# shellcheck disable=SC2086
		if ! configure_in "$dir" $args || ! make -C "$dir" -j"$jobs" >/dev/null; then
			echo "bootstrap: the $kind build failed" >&2
			failed=$((failed + 1)); status=1
			continue
		fi
		check_ok=1
		make -C "$dir" -j"$jobs" check > "$dir/check.out" 2>&1 || check_ok=0
		grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):' "$dir/check.out" | grep -v '^PASS' || true
		# shellcheck disable=SC2046 # count prints two numbers: split them
		set -- $(count "$dir/test-suite.log")
		# make check can fail before any test runs (a build error).
		if [ "$check_ok" = 0 ]; then
			status=1
			if [ "$2" = 0 ]; then
				tail -n 20 "$dir/check.out" >&2
				set -- "$1" 1
			fi
		fi
		echo "bootstrap: $kind: $1 passed, $2 failed" >&2
		[ "$2" = 0 ] || { cat "$dir/test-suite.log" >&2; status=1; }
		passed=$((passed + $1)); failed=$((failed + $2))
	done
	if make -C build/normal -j"$jobs" distcheck > build/distcheck.out 2>&1; then
		passed=$((passed + 1))
		echo "bootstrap: make distcheck passed" >&2
	else
		tail -40 build/distcheck.out >&2
		failed=$((failed + 1)); status=1
	fi
	# The Debian package: built, linted, installed and started (as root).
	if sh tests/package.sh build/package > build/package.out 2>&1; then
		passed=$((passed + 1))
		echo "bootstrap: tests/package.sh passed" >&2
		grep -i 'skip' build/package.out >&2 || true
	else
		tail -40 build/package.out >&2
		failed=$((failed + 1)); status=1
	fi
	echo "$passed passed, $failed failed"
	return $status
}

case "${1:-}" in
deps) deps; locale_zh ;;
run) run_cmd ;;
test) test_cmd ;;
*) echo "usage: sh tests/bootstrap.sh run|test|deps" >&2; exit 2 ;;
esac
